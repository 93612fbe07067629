// Real torrents for tests, made in memory with @gtorr/metainfo's own writer and parsed back
// with its reader, so that a test sees exactly what a client would.
import { createTorrentFromBuffers, parseTorrent, type Metainfo } from '@gtorr/metainfo';

export interface TestFile {
  /** Components below the torrent's folder. */
  readonly path: readonly string[];
  readonly data: Uint8Array;
}

export interface TestTorrent {
  readonly metainfo: Metainfo;
  /** The bytes of each entry of `metainfo.files` (empty for pad files). */
  readonly fileData: readonly Uint8Array[];
  /** What piece `piece` holds: file bytes, and zeros for pad files and v2 gaps. A fresh buffer. */
  pieceData(piece: number): Uint8Array;
}

/**
 * A torrent of `files` (a multi-file torrent called `name`), or of one file when `files`
 * is a Uint8Array. Version 1, 2 or 'hybrid' (which has BEP 47 pad files); piece length
 * default 16 KiB.
 */
export async function makeTestTorrent(
  name: string,
  files: readonly TestFile[] | Uint8Array,
  options: { readonly version?: 1 | 2 | 'hybrid'; readonly pieceLength?: number } = {},
): Promise<TestTorrent> {
  const created = await createTorrentFromBuffers(name, files, { version: options.version ?? 1, pieceLength: options.pieceLength ?? 16384, creationDate: null });
  const metainfo = parseTorrent(created.torrent);
  const byPath = new Map<string, Uint8Array>(files instanceof Uint8Array ? [[name, files]] : files.map((file) => [file.path.join('/'), file.data]));
  const fileData = metainfo.files.map((file) => (file.padding ? new Uint8Array(0) : (byPath.get(file.path.join('/')) ?? new Uint8Array(0))));
  return {
    metainfo,
    fileData,
    pieceData: (piece) => byteSpacePiece(metainfo, fileData, piece),
  };
}

/**
 * Piece `piece` of a torrent whose files hold `fileData` (by index into `metainfo.files`):
 * placed by file offsets directly, not through pieceSpans, since tests check one against the other.
 */
export function byteSpacePiece(metainfo: Metainfo, fileData: readonly Uint8Array[], piece: number): Uint8Array {
  const start = piece * metainfo.pieceLength;
  const out = new Uint8Array(Math.min(metainfo.pieceLength, metainfo.length - start));
  metainfo.files.forEach((file, i) => {
    const from = Math.max(start, file.offset);
    const to = Math.min(start + out.length, file.offset + file.length);
    if (to > from && !file.padding) out.set(fileData[i]!.subarray(from - file.offset, to - file.offset), from - start);
  });
  return out;
}

/** `length` deterministic pseudo-random bytes (xorshift32 from `seed`): test content that compresses badly and repeats never. */
export function testBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
