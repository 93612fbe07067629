import { encode, isDictionary, text, type BencodeDictionary, type Encodable } from '@gtorr/bencode';
import { WireErrorCode } from '../errors.js';
import { decodeDictionary } from '../internal/bencode.js';

/** The extended message id of the BEP 10 handshake itself. */
export const EXTENDED_HANDSHAKE_ID = 0;

/**
 * A BEP 10 extended handshake. Field names follow the BEP; `metadata_size` (BEP 9) is
 * `metadataSize`.
 */
export interface ExtendedHandshake {
  /** Extension name to the extended message id the sender wants to receive it on; 0 turns one off. */
  readonly m: Readonly<Record<string, number>>;
  /** Client name and version, e.g. `gtorr 0.1.0`. */
  readonly v?: string;
  /** The sender's listening TCP port. */
  readonly p?: number;
  /** How many outstanding requests the sender queues (libtorrent: 250 by default). */
  readonly reqq?: number;
  /** BEP 9: size in bytes of the info dictionary. */
  readonly metadataSize?: number;
  /** The receiver's address as the sender sees it: 4 (IPv4) or 16 (IPv6) bytes. */
  readonly yourip?: Uint8Array;
  /** The sender's own IPv4 address, 4 bytes. */
  readonly ipv4?: Uint8Array;
  /** The sender's own IPv6 address, 16 bytes. */
  readonly ipv6?: Uint8Array;
  /** Decoded only: the whole dictionary, for keys this type does not name. */
  readonly raw?: BencodeDictionary;
}

/** The bencoded payload of an extended handshake (what follows the extended id byte). */
export function encodeExtendedHandshake(handshake: ExtendedHandshake): Uint8Array {
  const m: Record<string, number> = {};
  for (const [name, id] of Object.entries(handshake.m)) {
    if (!Number.isInteger(id) || id < 0 || id > 255) throw new RangeError(`wire: extended message id of ${name} must be an integer in [0, 255]`);
    m[name] = id;
  }
  const dict: Record<string, Encodable> = { m };
  if (handshake.v !== undefined) dict.v = handshake.v;
  if (handshake.p !== undefined) dict.p = handshake.p;
  if (handshake.reqq !== undefined) dict.reqq = handshake.reqq;
  if (handshake.metadataSize !== undefined) dict.metadata_size = handshake.metadataSize;
  if (handshake.yourip !== undefined) dict.yourip = handshake.yourip;
  if (handshake.ipv4 !== undefined) dict.ipv4 = handshake.ipv4;
  if (handshake.ipv6 !== undefined) dict.ipv6 = handshake.ipv6;
  return encode(dict);
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

function bytesOf(value: unknown, ...lengths: number[]): Uint8Array | undefined {
  return value instanceof Uint8Array && lengths.includes(value.length) ? value : undefined;
}

/**
 * Decodes an extended handshake payload. Strict where it matters: the payload must be one
 * bencoded dictionary (else WIRE_BAD_EXTENDED). Lenient like the clients in the field: keys
 * in any order are accepted, and a known field of the wrong type or out of range is dropped
 * rather than fatal (it is still in `raw`). Byte fields are views into `payload`.
 */
export function decodeExtendedHandshake(payload: Uint8Array): ExtendedHandshake {
  const value = decodeDictionary(payload, WireErrorCode.BAD_EXTENDED, 'extended handshake');
  // No prototype: an extension called `__proto__` is just a name.
  const m: Record<string, number> = Object.create(null) as Record<string, number>;
  const rawM = value.m;
  if (isDictionary(rawM)) {
    for (const [name, id] of Object.entries(rawM)) {
      const n = integerIn(id, 0, 255);
      if (n !== undefined) m[name] = n;
    }
  }
  const handshake: { -readonly [K in keyof ExtendedHandshake]: ExtendedHandshake[K] } = { m, raw: value };
  const v = text(value.v);
  if (v !== undefined) handshake.v = v;
  const p = integerIn(value.p, 1, 65535);
  if (p !== undefined) handshake.p = p;
  const reqq = integerIn(value.reqq, 1, Number.MAX_SAFE_INTEGER);
  if (reqq !== undefined) handshake.reqq = reqq;
  const metadataSize = integerIn(value.metadata_size, 1, Number.MAX_SAFE_INTEGER);
  if (metadataSize !== undefined) handshake.metadataSize = metadataSize;
  const yourip = bytesOf(value.yourip, 4, 16);
  if (yourip) handshake.yourip = yourip;
  const ipv4 = bytesOf(value.ipv4, 4);
  if (ipv4) handshake.ipv4 = ipv4;
  const ipv6 = bytesOf(value.ipv6, 16);
  if (ipv6) handshake.ipv6 = ipv6;
  return handshake;
}
