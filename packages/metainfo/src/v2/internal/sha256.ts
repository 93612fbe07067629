import { createHash, hash } from 'node:crypto';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;

// The one place v2 code hashes. `crypto.hash` (Node >= 20.12) is a one-shot call that skips
// creating a Hash object, which matters here: a 1 GiB file is 65,536 block hashes plus as
// many tree nodes, most of them over 64 bytes, where creating the object is the main cost.
const oneShot = typeof hash === 'function' ? (hash as unknown as OneShot) : undefined;

/** SHA-256 of `data`, a fresh 32-byte Buffer. */
export function sha256(data: Uint8Array): Uint8Array {
  return oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest();
}
