import { createHash, hash } from 'node:crypto';

// The one place this package hashes (the hash workers of torrent creation aside, which
// stream). `crypto.hash` (Node >= 20.12) is a one-shot call that skips creating a Hash
// object, which matters for v2: a 1 GiB file is 65,536 block hashes plus as many tree
// nodes of 64 bytes, where creating the object is the main cost.
type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
const oneShot = typeof hash === 'function' ? (hash as unknown as OneShot) : undefined;

/** SHA-1 or SHA-256 of the concatenation of `parts`, as a fresh 20- or 32-byte array. */
export function digest(algorithm: 'sha1' | 'sha256', ...parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && oneShot) return oneShot(algorithm, parts[0]!, 'buffer');
  const h = createHash(algorithm);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** SHA-256 of `data`, a fresh 32-byte array. */
export function sha256(data: Uint8Array): Uint8Array {
  return digest('sha256', data);
}
