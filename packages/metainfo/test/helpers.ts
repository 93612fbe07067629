import { decode, encode, type BencodeMap, type Encodable } from '@gtorr/bencode';
import { readFixture } from '@gtorr/fixtures';
import { MetainfoError } from '../src/index.js';

/** A .torrent made of `info` and any top-level fields. */
export function torrent(info: Encodable, top: Record<string, Encodable> = {}): Uint8Array {
  return encode({ ...top, info });
}

/** A plain v1 single-file info dictionary: `length` bytes, one 20-byte hash per piece. */
export function singleInfo(extra: Record<string, Encodable> = {}, length = 100, pieceLength = 16384): Record<string, Encodable> {
  return { name: 'file.bin', 'piece length': pieceLength, length, pieces: new Uint8Array(20 * Math.ceil(length / pieceLength)), ...extra };
}

/** A fixture decoded with Maps (which keep key order), to modify and encode again. */
export function fixtureMap(file: string): BencodeMap {
  return decode(readFixture(file), { dictionaries: 'map', allowUnsortedKeys: true }) as BencodeMap;
}

export function infoOf(map: BencodeMap): BencodeMap {
  return map.get('info') as BencodeMap;
}

/** The code of the MetainfoError that `fn` throws; fails the test for anything else. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof MetainfoError) return error.code;
    throw error;
  }
  throw new Error('expected a MetainfoError, but nothing was thrown');
}

export const hex = (bytes: Uint8Array | null | undefined): string | null => (bytes ? Buffer.from(bytes).toString('hex') : null);
