import { MetainfoError, MetainfoErrorCode as Code } from './errors.js';
import { fromBase32 } from './internal/base32.js';
import type { InfoHashes } from './types.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes` (an info hash, a pieces root, a peer id). */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]!;
  return out;
}

/** The bytes of an even-length hex string, or `undefined` if it is not one. */
export function hexToBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Reads an info hash as people write it: 40 hex or 32 base32 characters for v1, 64 hex for
 * v2. Throws `MetainfoError` `METAINFO_BAD_INFO_HASH` for anything else.
 *
 * @example
 * parseInfoHash('c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd'); // { v1: Uint8Array(20), v2: null }
 */
export function parseInfoHash(text: string): InfoHashes {
  if (text.length === 40 || text.length === 64) {
    const bytes = hexToBytes(text);
    if (bytes) return text.length === 40 ? { v1: bytes, v2: null } : { v1: null, v2: bytes };
  } else if (text.length === 32) {
    const bytes = fromBase32(text);
    if (bytes) return { v1: bytes, v2: null };
  }
  throw new MetainfoError(Code.BAD_INFO_HASH, `not an info hash: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)}`);
}
