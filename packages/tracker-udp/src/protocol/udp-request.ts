// BEP 15 requests, client to tracker. Pure: values in, bytes out, and back (for servers
// and test trackers). All integers are big-endian.
import { isIPv4 } from 'node:net';
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import type { AnnounceEvent } from '../types.js';

/** The magic connection id of a connect request, which identifies the protocol. */
export const PROTOCOL_ID = 0x41727101980n;

/** BEP 15 action numbers. */
export const Action = { CONNECT: 0, ANNOUNCE: 1, SCRAPE: 2, ERROR: 3 } as const;

const EVENT_NUMBER: Record<AnnounceEvent | 'none', number> = { none: 0, completed: 1, started: 2, stopped: 3 };
const EVENT_NAME = ['none', 'completed', 'started', 'stopped'] as const;

/** The most info hashes one scrape packet carries: BEP 15 caps them at about 74. */
export const MAX_SCRAPE_HASHES = 74;

export interface AnnounceFields {
  readonly connectionId: bigint;
  readonly transactionId: number;
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly downloaded: number | bigint;
  readonly left: number | bigint;
  readonly uploaded: number | bigint;
  readonly event: AnnounceEvent | undefined;
  /** IPv4 address as 4 bytes, or 0 for "the packet's source". */
  readonly ip: number;
  readonly key: number;
  /** -1 for the tracker's default. */
  readonly numwant: number;
  readonly port: number;
}

/** A decoded request (what a tracker receives). */
export type UdpRequest =
  | { readonly action: 'connect'; readonly transactionId: number }
  | ({ readonly action: 'announce' } & Omit<AnnounceFields, 'downloaded' | 'left' | 'uploaded'> & { readonly downloaded: bigint; readonly left: bigint; readonly uploaded: bigint })
  | { readonly action: 'scrape'; readonly connectionId: bigint; readonly transactionId: number; readonly infoHashes: Uint8Array[] };

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u32(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${name} must be a 32-bit unsigned integer`);
  return value;
}

function u64(value: number | bigint, name: string): bigint {
  const big = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (big < 0n || big > 0xffffffffffffffffn) throw new RangeError(`${name} must be a non-negative 64-bit integer`);
  return big;
}

function hash(value: Uint8Array, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (value.length !== 20) throw new RangeError(`${name} must be 20 bytes, got ${value.length}`);
  return value;
}

/** A connect request (16 bytes). */
export function encodeConnectRequest(transactionId: number): Uint8Array {
  const out = new Uint8Array(16);
  const v = view(out);
  v.setBigUint64(0, PROTOCOL_ID);
  v.setUint32(8, Action.CONNECT);
  v.setUint32(12, u32(transactionId, 'transactionId'));
  return out;
}

/** An announce request (98 bytes). */
export function encodeAnnounceRequest(fields: AnnounceFields): Uint8Array {
  const out = new Uint8Array(98);
  const v = view(out);
  v.setBigUint64(0, u64(fields.connectionId, 'connectionId'));
  v.setUint32(8, Action.ANNOUNCE);
  v.setUint32(12, u32(fields.transactionId, 'transactionId'));
  out.set(hash(fields.infoHash, 'infoHash'), 16);
  out.set(hash(fields.peerId, 'peerId'), 36);
  v.setBigUint64(56, u64(fields.downloaded, 'downloaded'));
  v.setBigUint64(64, u64(fields.left, 'left'));
  v.setBigUint64(72, u64(fields.uploaded, 'uploaded'));
  const event = EVENT_NUMBER[fields.event ?? 'none'];
  if (event === undefined) throw new RangeError(`unknown event ${String(fields.event)}`);
  v.setUint32(80, event);
  v.setUint32(84, u32(fields.ip, 'ip'));
  v.setUint32(88, u32(fields.key, 'key'));
  if (!Number.isInteger(fields.numwant) || fields.numwant < -1 || fields.numwant > 0x7fffffff) throw new RangeError('numwant must be -1 or a non-negative 31-bit integer');
  v.setInt32(92, fields.numwant);
  if (!Number.isInteger(fields.port) || fields.port < 1 || fields.port > 65535) throw new RangeError('port must be an integer from 1 to 65535');
  v.setUint16(96, fields.port);
  return out;
}

/** A scrape request for 1 to 74 info hashes. */
export function encodeScrapeRequest(connectionId: bigint, transactionId: number, infoHashes: readonly Uint8Array[]): Uint8Array {
  if (infoHashes.length < 1 || infoHashes.length > MAX_SCRAPE_HASHES) throw new RangeError(`a scrape packet carries 1 to ${MAX_SCRAPE_HASHES} info hashes`);
  const out = new Uint8Array(16 + 20 * infoHashes.length);
  const v = view(out);
  v.setBigUint64(0, u64(connectionId, 'connectionId'));
  v.setUint32(8, Action.SCRAPE);
  v.setUint32(12, u32(transactionId, 'transactionId'));
  infoHashes.forEach((h, i) => out.set(hash(h, `infoHashes[${i}]`), 16 + 20 * i));
  return out;
}

/** The 4 bytes of an IPv4 address as the announce's `ip` field. */
export function ipv4Number(text: string): number {
  if (!isIPv4(text)) throw new RangeError(`ip must be an IPv4 address, got ${JSON.stringify(text)}`);
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function bad(message: string): TrackerError {
  return new TrackerError(Code.BAD_REQUEST, message);
}

/**
 * Reads a request packet (what a tracker receives). Bytes past the fixed fields (BEP 41
 * options) are ignored. Throws `TrackerError` with `TRACKER_BAD_REQUEST` for anything else.
 */
export function decodeRequest(bytes: Uint8Array): UdpRequest {
  if (bytes.length < 16) throw bad(`request of ${bytes.length} bytes is shorter than 16`);
  const v = view(bytes);
  const connectionId = v.getBigUint64(0);
  const action = v.getUint32(8);
  const transactionId = v.getUint32(12);
  switch (action) {
    case Action.CONNECT:
      if (connectionId !== PROTOCOL_ID) throw bad('connect request without the protocol id');
      return { action: 'connect', transactionId };
    case Action.ANNOUNCE: {
      if (bytes.length < 98) throw bad(`announce of ${bytes.length} bytes is shorter than 98`);
      const event = EVENT_NAME[v.getUint32(80)];
      if (event === undefined) throw bad(`unknown event ${v.getUint32(80)}`);
      return {
        action: 'announce',
        connectionId,
        transactionId,
        infoHash: bytes.slice(16, 36),
        peerId: bytes.slice(36, 56),
        downloaded: v.getBigUint64(56),
        left: v.getBigUint64(64),
        uploaded: v.getBigUint64(72),
        event: event === 'none' ? undefined : event,
        ip: v.getUint32(84),
        key: v.getUint32(88),
        numwant: Math.max(-1, v.getInt32(92)),
        port: v.getUint16(96),
      };
    }
    case Action.SCRAPE: {
      const count = Math.floor((bytes.length - 16) / 20);
      if (count < 1) throw bad('scrape without info hashes');
      const infoHashes: Uint8Array[] = [];
      for (let i = 0; i < Math.min(count, MAX_SCRAPE_HASHES); i++) infoHashes.push(bytes.slice(16 + 20 * i, 36 + 20 * i));
      return { action: 'scrape', connectionId, transactionId, infoHashes };
    }
    default:
      throw bad(`unknown action ${action}`);
  }
}
