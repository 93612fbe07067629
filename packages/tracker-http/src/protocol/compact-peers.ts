import { isIPv4 } from 'node:net';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../internal/ip.js';
import type { Peer } from '../types.js';

/** Bytes per compact peer: 4 address + 2 port (BEP 23), 16 + 2 (BEP 7 `peers6`). */
export const COMPACT_PEER_LENGTH = { 4: 6, 6: 18 } as const;

/**
 * Reads a compact peer string. Returns `undefined` when its length is not a multiple of the
 * entry size (the caller turns that into its own error). Entries with port 0 are skipped:
 * nobody can connect to them.
 */
export function decodeCompactPeers(bytes: Uint8Array, family: 4 | 6): Peer[] | undefined {
  const size = COMPACT_PEER_LENGTH[family];
  if (bytes.length % size !== 0) return undefined;
  const peers: Peer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    const port = (bytes[offset + size - 2]! << 8) | bytes[offset + size - 1]!;
    if (port === 0) continue;
    peers.push({ host: family === 4 ? formatIPv4(bytes, offset) : formatIPv6(bytes, offset), port });
  }
  return peers;
}

/** One compact entry for `host:port`, or `undefined` when `host` is not an IP address. */
export function encodeCompactPeer(host: string, port: number): Uint8Array | undefined {
  const address = isIPv4(host) ? parseIPv4(host) : parseIPv6(host);
  if (address === undefined) return undefined;
  const out = new Uint8Array(address.length + 2);
  out.set(address);
  out[address.length] = port >> 8;
  out[address.length + 1] = port & 0xff;
  return out;
}
