// BEP 15 responses, tracker to client. Pure: bytes in, values out, and back (for servers
// and test trackers). All integers are big-endian.
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import { addressBytes, formatAddress } from '../internal/ip.js';
import type { Peer } from '../types.js';
import { Action } from './udp-request.js';

/** One swarm's counts in a scrape reply, in the order of the request's hashes. */
export interface ScrapeCounts {
  readonly complete: number;
  readonly downloaded: number;
  readonly incomplete: number;
}

/** A decoded reply (what a client receives). */
export type UdpResponse =
  | { readonly action: 'connect'; readonly transactionId: number; readonly connectionId: bigint }
  | { readonly action: 'announce'; readonly transactionId: number; readonly interval: number; readonly incomplete: number; readonly complete: number; readonly peers: Peer[] }
  | { readonly action: 'scrape'; readonly transactionId: number; readonly files: ScrapeCounts[] }
  | { readonly action: 'error'; readonly transactionId: number; readonly message: string };

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The transaction id of any packet of 8 bytes or more, to match a reply to its request before reading it. */
export function peekTransactionId(bytes: Uint8Array): number | undefined {
  return bytes.length < 8 ? undefined : view(bytes).getUint32(4);
}

function bad(message: string): TrackerError {
  return new TrackerError(Code.BAD_RESPONSE, message);
}

const utf8 = new TextDecoder();
// An error packet's text is shown to people; a datagram can hold 64 KiB of it.
const MAX_MESSAGE = 1024;

/**
 * Reads a reply. `family` is the address family of the socket it came in on: BEP 15 says
 * it, not the packet, decides whether peers are 6 (IPv4) or 18 (IPv6) bytes. Peers on port 0
 * are skipped. Throws `TrackerError`: `TRACKER_BAD_RESPONSE`, `TRACKER_BAD_PEERS`.
 */
export function decodeResponse(bytes: Uint8Array, family: 4 | 6): UdpResponse {
  if (bytes.length < 8) throw bad(`reply of ${bytes.length} bytes is shorter than 8`);
  const v = view(bytes);
  const action = v.getUint32(0);
  const transactionId = v.getUint32(4);
  switch (action) {
    case Action.CONNECT:
      if (bytes.length < 16) throw bad(`connect reply of ${bytes.length} bytes is shorter than 16`);
      return { action: 'connect', transactionId, connectionId: v.getBigUint64(8) };
    case Action.ANNOUNCE: {
      if (bytes.length < 20) throw bad(`announce reply of ${bytes.length} bytes is shorter than 20`);
      const size = family === 4 ? 6 : 18;
      const list = bytes.length - 20;
      if (list % size !== 0) throw new TrackerError(Code.BAD_PEERS, `peer list of ${list} bytes is not a multiple of ${size}`);
      const peers: Peer[] = [];
      for (let offset = 20; offset < bytes.length; offset += size) {
        const port = v.getUint16(offset + size - 2);
        if (port !== 0) peers.push({ host: formatAddress(bytes, offset, family === 4 ? 4 : 16), port });
      }
      return { action: 'announce', transactionId, interval: v.getUint32(8), incomplete: v.getUint32(12), complete: v.getUint32(16), peers };
    }
    case Action.SCRAPE: {
      if ((bytes.length - 8) % 12 !== 0) throw bad(`scrape reply of ${bytes.length} bytes is not 8 + 12n`);
      const files: ScrapeCounts[] = [];
      for (let offset = 8; offset < bytes.length; offset += 12) {
        files.push({ complete: v.getUint32(offset), downloaded: v.getUint32(offset + 4), incomplete: v.getUint32(offset + 8) });
      }
      return { action: 'scrape', transactionId, files };
    }
    case Action.ERROR:
      return { action: 'error', transactionId, message: utf8.decode(bytes.subarray(8, 8 + MAX_MESSAGE)) };
    default:
      throw bad(`unknown action ${action}`);
  }
}

function header(length: number, action: number, transactionId: number): { out: Uint8Array; v: DataView } {
  const out = new Uint8Array(length);
  const v = view(out);
  v.setUint32(0, action);
  v.setUint32(4, transactionId);
  return { out, v };
}

export function encodeConnectResponse(transactionId: number, connectionId: bigint): Uint8Array {
  const { out, v } = header(16, Action.CONNECT, transactionId);
  v.setBigUint64(8, connectionId);
  return out;
}

/** An announce reply; every peer must be of `family` (RangeError otherwise). */
export function encodeAnnounceResponse(transactionId: number, fields: { interval: number; incomplete: number; complete: number; peers: readonly Peer[] }, family: 4 | 6): Uint8Array {
  const size = family === 4 ? 6 : 18;
  const { out, v } = header(20 + size * fields.peers.length, Action.ANNOUNCE, transactionId);
  v.setUint32(8, fields.interval);
  v.setUint32(12, fields.incomplete);
  v.setUint32(16, fields.complete);
  fields.peers.forEach((peer, i) => {
    const address = addressBytes(peer.host);
    if (address === undefined || address.length !== size - 2) throw new RangeError(`peer ${peer.host} is not an IPv${family} address`);
    out.set(address, 20 + i * size);
    v.setUint16(20 + i * size + size - 2, peer.port);
  });
  return out;
}

export function encodeScrapeResponse(transactionId: number, files: readonly ScrapeCounts[]): Uint8Array {
  const { out, v } = header(8 + 12 * files.length, Action.SCRAPE, transactionId);
  files.forEach((f, i) => {
    v.setUint32(8 + 12 * i, f.complete);
    v.setUint32(12 + 12 * i, f.downloaded);
    v.setUint32(16 + 12 * i, f.incomplete);
  });
  return out;
}

export function encodeErrorResponse(transactionId: number, message: string): Uint8Array {
  const text = new TextEncoder().encode(message);
  const { out } = header(8 + text.length, Action.ERROR, transactionId);
  out.set(text, 8);
  return out;
}
