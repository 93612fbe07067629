import { createHash } from 'node:crypto';

/** SHA-1 of the concatenation of `parts`; the one place the package hashes. */
export function sha1(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
