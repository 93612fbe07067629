import { createHash } from 'node:crypto';

/**
 * The one place the reading half of this package hashes: SHA-1 or SHA-256 of the
 * concatenation of `parts`, as a fresh 20- or 32-byte array.
 */
export function digest(algorithm: 'sha1' | 'sha256', ...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}
