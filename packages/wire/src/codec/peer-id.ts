import { randomBytes } from 'node:crypto';

/** gtorr's BEP 20 client prefix: `-GT` + a four-digit version + `-`. */
export const DEFAULT_PEER_ID_PREFIX = '-GT0001-';

/**
 * A fresh 20-byte peer id in the Azureus style BEP 20 describes: the ASCII `prefix`
 * (`-XXvvvv-`) followed by random bytes. Throws a RangeError for a prefix over 20 bytes.
 */
export function generatePeerId(prefix: string = DEFAULT_PEER_ID_PREFIX): Uint8Array {
  const head = new TextEncoder().encode(prefix);
  if (head.length > 20) throw new RangeError('wire: a peer id prefix is at most 20 bytes');
  const id = new Uint8Array(20);
  id.set(head, 0);
  id.set(randomBytes(20 - head.length), head.length);
  return id;
}
