// Assembles and encodes the .torrent once every piece is hashed: the info dictionary in its
// v1, v2 or hybrid form, the piece layers, and the fields around them. Both info hashes are
// taken over the info dictionary's bytes as they stand in the encoded file.
import { createHash } from 'node:crypto';
import { encode, type Encodable } from '@gtorr/bencode';
import { HASH_SIZE_V2, hasPieceLayer, pieceLayerRoot } from '../../v2/merkle.js';
import type { InfoHashes } from '../../types.js';
import type { Layout, TorrentVersion } from './layout.js';

export interface TorrentContent {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly files: readonly { readonly path: readonly string[]; readonly length: number }[];
  readonly pieceLength: number;
  readonly version: TorrentVersion;
  readonly layout: Layout;
  /** SHA-1 of each piece end to end (v1, hybrid). */
  readonly v1Pieces: Uint8Array | null;
  /** BEP 52 hash of each piece end to end, indexed like v1 pieces (v2, hybrid). */
  readonly v2Pieces: Uint8Array | null;
}

export interface TorrentFields {
  readonly announce: readonly (readonly string[])[];
  readonly urlList: readonly string[];
  readonly private: boolean;
  readonly comment: string | undefined;
  readonly source: string | undefined;
  readonly createdBy: string | undefined;
  readonly creationDate: number | undefined;
}

export interface BuiltTorrent {
  readonly torrent: Uint8Array;
  readonly infoHash: InfoHashes;
  /** v2: each non-empty file's pieces root, by file index (undefined for empty files). */
  readonly piecesRoots: readonly (Uint8Array | undefined)[];
}

// BEP 47: the name libtorrent and the BEP 52 reference creator give pad files.
const PAD_FOLDER = '.pad';

export function buildTorrent(content: TorrentContent, fields: TorrentFields): BuiltTorrent {
  const info = new Map<string, Encodable>();
  info.set('name', content.name);
  info.set('piece length', content.pieceLength);
  if (fields.private) info.set('private', 1);
  if (fields.source !== undefined) info.set('source', fields.source);

  let layers: Map<Uint8Array, Uint8Array> | undefined;
  let piecesRoots: (Uint8Array | undefined)[] = [];
  if (content.v2Pieces) {
    ({ layers, piecesRoots } = v2Hashes(content, content.v2Pieces));
    info.set('meta version', 2);
    info.set('file tree', fileTree(content, piecesRoots));
  }
  if (content.v1Pieces) {
    info.set('pieces', content.v1Pieces);
    if (content.isDirectory) info.set('files', v1Files(content));
    else info.set('length', content.files[0]!.length);
  }

  // The info dictionary is encoded once and spliced in whole: its bytes are then, by
  // construction, the ones in the file that both info hashes are taken over. Bencode sorts
  // keys, and every other top-level key sorts before "info" or after it.
  const before = new Map<string, Encodable>();
  const firstTracker = fields.announce[0]?.[0];
  if (firstTracker !== undefined) before.set('announce', firstTracker);
  if (fields.announce.flat().length > 1) before.set('announce-list', fields.announce);
  if (fields.comment !== undefined) before.set('comment', fields.comment);
  if (fields.createdBy !== undefined) before.set('created by', fields.createdBy);
  if (fields.creationDate !== undefined) before.set('creation date', fields.creationDate);
  const after = new Map<string, Encodable>();
  if (layers) after.set('piece layers', layers);
  if (fields.urlList.length > 0) after.set('url-list', fields.urlList);
  const infoBytes = encode(info);
  const torrent = Buffer.concat([ascii('d'), entries(before), ascii('4:info'), infoBytes, entries(after), ascii('e')]);
  return {
    torrent,
    infoHash: {
      v1: content.v1Pieces ? new Uint8Array(createHash('sha1').update(infoBytes).digest()) : null,
      v2: content.v2Pieces ? new Uint8Array(createHash('sha256').update(infoBytes).digest()) : null,
    },
    piecesRoots,
  };
}

const ascii = (text: string) => Buffer.from(text, 'latin1');

/** The encoded key-value pairs of a dictionary, without its `d` and `e`. */
function entries(dictionary: Map<string, Encodable>): Uint8Array {
  return encode(dictionary).subarray(1, -1);
}

/** Each file's pieces root, and the piece layers of files longer than a piece (one entry per distinct root). */
function v2Hashes(content: TorrentContent, v2Pieces: Uint8Array) {
  const { pieceLength, layout } = content;
  const piecesRoots: (Uint8Array | undefined)[] = content.files.map(() => undefined);
  const byRoot = new Map<string, [Uint8Array, Uint8Array]>();
  for (const entry of layout.entries) {
    if (entry.file < 0 || entry.length === 0) continue;
    const first = entry.offset / pieceLength;
    const count = Math.ceil(entry.length / pieceLength);
    const layer = v2Pieces.subarray(first * HASH_SIZE_V2, (first + count) * HASH_SIZE_V2);
    const root = pieceLayerRoot(layer, pieceLength, entry.length);
    piecesRoots[entry.file] = root;
    if (hasPieceLayer(entry.length, pieceLength)) byRoot.set(Buffer.from(root).toString('hex'), [root, layer]);
  }
  return { piecesRoots, layers: new Map([...byRoot.values()]) };
}

/** BEP 52 `file tree`: nested dictionaries by path component, each file a `""` entry. Maps, so no name is special. */
function fileTree(content: TorrentContent, piecesRoots: readonly (Uint8Array | undefined)[]): Map<string, Encodable> {
  const tree = new Map<string, Encodable>();
  content.files.forEach((file, index) => {
    let node = tree;
    for (const component of content.isDirectory ? file.path.slice(0, -1) : []) {
      let child = node.get(component) as Map<string, Encodable> | undefined;
      if (!child) {
        child = new Map();
        node.set(component, child);
      }
      node = child;
    }
    const root = piecesRoots[index];
    const properties = new Map<string, Encodable>([['length', file.length]]);
    if (root) properties.set('pieces root', root);
    node.set(content.isDirectory ? file.path.at(-1)! : content.name, new Map([['', properties]]));
  });
  return tree;
}

/** BEP 3 `files`, with the hybrid layout's pads as BEP 47 pad files (attr "p"). */
function v1Files(content: TorrentContent): Encodable[] {
  return content.layout.entries.map((entry) => {
    if (entry.file < 0) return new Map<string, Encodable>([['attr', 'p'], ['length', entry.length], ['path', [PAD_FOLDER, String(entry.length)]]]);
    const file = content.files[entry.file]!;
    return new Map<string, Encodable>([['length', file.length], ['path', file.path]]);
  });
}
