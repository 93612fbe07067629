import { type BencodeMap, type BencodeValue, keyBytes } from '@gtorr/bencode';
import { MetainfoErrorCode as Code } from '../errors.js';
import { toHex } from '../info-hash.js';
import type { FileEntry } from '../types.js';
import { readAttributes } from './bep-0047-attributes.js';
import { addLength, bytesToText, fail, isMap, readLength } from './fields.js';
import type { Limits } from './limits.js';
import { safeComponent } from './paths.js';
import { BLOCK_SIZE_V2, pieceLayerRoot } from '../v2/merkle.js';

export interface V2Layout {
  readonly files: FileEntry[];
  readonly length: number;
  readonly isDirectory: boolean;
  readonly pieceCount: number;
}

export function isV2PieceLength(pieceLength: number): boolean {
  return pieceLength >= BLOCK_SIZE_V2 && Number.isInteger(Math.log2(pieceLength));
}

/**
 * The BEP 52 description of an info dictionary: its `file tree`, walked in key order (the
 * order of the torrent's byte space), each file starting on a piece boundary.
 */
export function readV2(info: BencodeMap, pieceLength: number, limits: Limits): V2Layout {
  const tree = info.get('file tree');
  if (!isMap(tree)) fail(Code.BAD_FILE_TREE, 'file tree is missing or not a dictionary', 'info["file tree"]');
  const files: FileEntry[] = [];
  let end = 0;

  const visit = (directory: BencodeMap, path: readonly string[], field: string): void => {
    for (const [key, node] of directory) {
      const nodeField = `${field}[${JSON.stringify(key)}]`;
      if (key === '') fail(Code.BAD_FILE_TREE, 'file tree entry with an empty name', nodeField);
      if (!isMap(node)) fail(Code.BAD_FILE_TREE, 'file tree entry is not a dictionary', nodeField);
      const component = safeComponent(keyText(directory, key), nodeField);
      const filePath = [...path, component];
      if (filePath.length > limits.maxPathDepth) fail(Code.LIMIT_EXCEEDED, `path deeper than ${limits.maxPathDepth}`, nodeField);
      const properties = node.get('');
      if (properties === undefined) {
        visit(node, filePath, nodeField);
        continue;
      }
      if (!isMap(properties) || node.size !== 1) fail(Code.BAD_FILE_TREE, 'a file entry must hold exactly one dictionary, under ""', nodeField);
      if (files.length >= limits.maxFiles) fail(Code.LIMIT_EXCEEDED, `more than ${limits.maxFiles} files`, nodeField);
      const length = readLength(properties.get('length'), Code.BAD_LENGTH, `${nodeField}[""].length`);
      const offset = alignUp(end, pieceLength, nodeField);
      end = addLength(offset, length, Code.BAD_LENGTH, `${nodeField}[""].length`);
      const file: FileEntry = { path: filePath, length, offset, ...readAttributes(properties, limits.maxPathDepth, `${nodeField}[""]`) };
      files.push(length > 0 ? { ...file, piecesRoot: readPiecesRoot(properties.get('pieces root'), `${nodeField}[""]["pieces root"]`) } : file);
    }
  };
  visit(tree, [], 'info["file tree"]');
  if (files.length === 0) fail(Code.BAD_FILE_TREE, 'file tree holds no file', 'info["file tree"]');

  const pieceCount = Math.ceil(end / pieceLength);
  if (pieceCount > limits.maxPieces) fail(Code.LIMIT_EXCEEDED, `${pieceCount} pieces, over the limit of ${limits.maxPieces}`, 'info["file tree"]');
  // BEP 52: a torrent of one file has a tree of one entry; it is that file, not a folder, and
  // (as libtorrent reads it) the entry's key is the file's name, whatever `name` says.
  const single = files.length === 1 && files[0]!.path.length === 1;
  return { files, length: end, isDirectory: !single, pieceCount };
}

// Keys that are not UTF-8 come back from the decoder as Latin-1: read those from their real
// bytes. An ASCII key reads the same either way, and nearly all are ASCII.
function keyText(directory: BencodeMap, key: string): string {
  return /^[\x20-\x7e]*$/.test(key) ? key : bytesToText(keyBytes(directory, key));
}

function alignUp(position: number, pieceLength: number, field: string): number {
  const aligned = Math.ceil(position / pieceLength) * pieceLength;
  if (!Number.isSafeInteger(aligned)) fail(Code.BAD_LENGTH, 'total length is beyond 2^53', field);
  return aligned;
}

function readPiecesRoot(value: BencodeValue | undefined, field: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 32) fail(Code.BAD_PIECES_ROOT, 'pieces root of a non-empty file must be 32 bytes', field);
  return value;
}

/**
 * Checks the top-level `piece layers` against the files' roots and returns the layers of
 * the files that need one (those longer than a piece), keyed by the hex of their root.
 * Layers for roots no file has are dropped.
 */
export function readPieceLayers(value: BencodeValue | undefined, files: readonly FileEntry[], pieceLength: number): Map<string, Uint8Array> {
  if (!isMap(value)) fail(Code.BAD_PIECE_LAYERS, 'piece layers are missing or not a dictionary', '["piece layers"]');
  const given = new Map<string, Uint8Array>();
  for (const [key, layer] of value) {
    if (layer instanceof Uint8Array) given.set(toHex(keyBytes(value, key)), layer);
  }
  const layers = new Map<string, Uint8Array>();
  for (const [i, file] of files.entries()) {
    if (file.length <= pieceLength || file.piecesRoot === undefined) continue;
    const root = toHex(file.piecesRoot);
    if (layers.has(root)) continue;
    const field = `["piece layers"][${root}]`;
    const layer = given.get(root);
    if (layer === undefined) fail(Code.BAD_PIECE_LAYERS, `no piece layer for file ${i}`, field);
    const pieces = Math.ceil(file.length / pieceLength);
    if (layer.length !== pieces * 32) fail(Code.BAD_PIECE_LAYERS, `piece layer of ${layer.length} bytes for ${pieces} pieces`, field);
    if (toHex(pieceLayerRoot(layer, pieceLength, file.length)) !== root) fail(Code.BAD_PIECE_LAYERS, `piece layer does not hash to the pieces root of file ${i}`, field);
    layers.set(root, layer);
  }
  return layers;
}
