import { handshakeInfoHash, readUint32 } from '../internal/bytes.js';
import { sha1 } from '../internal/hash.js';
import { parseIp, unmapIpv4 } from '../internal/ip.js';

/** BEP 6: "We currently set k to 10". */
export const DEFAULT_ALLOWED_FAST_COUNT = 10;

/**
 * The BEP 6 allowed-fast set of the peer at `ip`: the `count` piece indices that peer may
 * request while choked, by the canonical algorithm (SHA-1 chain over the /24 of the address
 * and the info hash), in the order the algorithm finds them.
 *
 * BEP 6 has no provision for IPv6: `ip` must be IPv4 (a string, 4 bytes, or IPv4-mapped
 * IPv6); anything else is a RangeError. A 32-byte (v2) info hash is used truncated to 20
 * bytes, as in the handshake. `count` is capped at `pieceCount`.
 *
 * @example
 * allowedFastSet('80.4.4.200', new Uint8Array(20).fill(0xaa), 1313, 7);
 * // [1059, 431, 808, 1217, 287, 376, 1188]
 */
export function allowedFastSet(ip: string | Uint8Array, infoHash: Uint8Array, pieceCount: number, count: number = DEFAULT_ALLOWED_FAST_COUNT): number[] {
  const parsed = typeof ip === 'string' ? parseIp(ip) : ip instanceof Uint8Array && (ip.length === 4 || ip.length === 16) ? ip : undefined;
  const v4 = parsed === undefined ? undefined : unmapIpv4(parsed);
  if (v4 === undefined) throw new RangeError('wire: the BEP 6 allowed-fast set is defined for IPv4 addresses only');
  if (!Number.isInteger(pieceCount) || pieceCount < 0 || pieceCount > 0xffff_ffff) throw new RangeError('wire: pieceCount must be an integer in [0, 2^32)');
  if (!Number.isInteger(count) || count < 0) throw new RangeError('wire: count must be a non-negative integer');
  const k = Math.min(count, pieceCount);
  const set: number[] = [];
  const seen = new Set<number>();
  // x = (ip & 0xffffff00) ++ infohash; then x = SHA1(x) until k distinct indices are found.
  let x: Uint8Array = new Uint8Array([v4[0]!, v4[1]!, v4[2]!, 0]);
  x = sha1(x, handshakeInfoHash(infoHash));
  for (;;) {
    for (let j = 0; j < 20 && set.length < k; j += 4) {
      const index = readUint32(x, j) % pieceCount;
      if (!seen.has(index)) {
        seen.add(index);
        set.push(index);
      }
    }
    if (set.length >= k) return set;
    x = sha1(x);
  }
}
