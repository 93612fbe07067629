import { WireError, WireErrorCode } from '../errors.js';
import { checkBytes, handshakeInfoHash } from '../internal/bytes.js';

/** `\x13BitTorrent protocol`: the 20 bytes every BEP 3 handshake starts with. */
export const PROTOCOL = new TextEncoder().encode('\x13BitTorrent protocol');

/** 1 + 19 + 8 reserved + 20 info hash + 20 peer id. */
export const HANDSHAKE_LENGTH = 68;

/** The features a peer announces in the 8 reserved handshake bytes. */
export interface HandshakeFeatures {
  /** BEP 10 extension protocol: `reserved[5] & 0x10`. */
  readonly extended: boolean;
  /** BEP 6 fast extension: `reserved[7] & 0x04`. */
  readonly fast: boolean;
  /** BEP 5 DHT (the peer sends `port` messages): `reserved[7] & 0x01`. */
  readonly dht: boolean;
  /** BEP 52: a peer that also speaks v2 for a hybrid torrent, `reserved[7] & 0x10`. */
  readonly v2: boolean;
}

/** A decoded handshake. All byte fields are views into the decoded bytes. */
export interface Handshake {
  readonly type: 'handshake';
  /** The 8 reserved bytes as received, including bits this package does not know. */
  readonly reserved: Uint8Array;
  /** The 20-byte info hash (for a v2 torrent: the first 20 bytes of its SHA-256 info hash). */
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  /** The known bits of `reserved`, read. */
  readonly features: HandshakeFeatures;
}

export interface HandshakeInit {
  /** 20 bytes (v1) or 32 bytes (v2, sent truncated to 20 as BEP 52 says). */
  readonly infoHash: Uint8Array;
  /** 20 bytes, e.g. from `generatePeerId()`. */
  readonly peerId: Uint8Array;
  /** 8 raw reserved bytes, or the features to announce. Default: no features. */
  readonly reserved?: Uint8Array | Partial<HandshakeFeatures>;
}

/** The 8 reserved bytes that announce `features`. */
export function reservedBytes(features: Partial<HandshakeFeatures> = {}): Uint8Array {
  const reserved = new Uint8Array(8);
  if (features.extended) reserved[5]! |= 0x10;
  if (features.fast) reserved[7]! |= 0x04;
  if (features.dht) reserved[7]! |= 0x01;
  if (features.v2) reserved[7]! |= 0x10;
  return reserved;
}

/** Which known features the 8 reserved bytes announce. */
export function readReserved(reserved: Uint8Array): HandshakeFeatures {
  checkBytes(reserved, 8, 'reserved');
  return {
    extended: (reserved[5]! & 0x10) !== 0,
    fast: (reserved[7]! & 0x04) !== 0,
    dht: (reserved[7]! & 0x01) !== 0,
    v2: (reserved[7]! & 0x10) !== 0,
  };
}

/** The 68 handshake bytes, in a fresh buffer. */
export function encodeHandshake(init: HandshakeInit): Uint8Array {
  const infoHash = handshakeInfoHash(init.infoHash);
  checkBytes(init.peerId, 20, 'peerId');
  const reserved = init.reserved instanceof Uint8Array ? init.reserved : reservedBytes(init.reserved);
  checkBytes(reserved, 8, 'reserved');
  const out = new Uint8Array(HANDSHAKE_LENGTH);
  out.set(PROTOCOL, 0);
  out.set(reserved, 20);
  out.set(infoHash, 28);
  out.set(init.peerId, 48);
  return out;
}

/**
 * Throws WIRE_BAD_HANDSHAKE unless `bytes` (at least the first `PROTOCOL.length` of them, or
 * fewer) agree with the protocol string. Used by the framing decoder to fail on the first
 * wrong byte instead of waiting for all 68.
 */
export function checkProtocolPrefix(bytes: Uint8Array, offset = 0): void {
  const n = Math.min(bytes.length, PROTOCOL.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== PROTOCOL[i]) {
      throw new WireError(WireErrorCode.BAD_HANDSHAKE, i === 0 ? `handshake protocol length is ${bytes[0]}, not 19` : 'handshake protocol is not "BitTorrent protocol"', { offset: offset + i });
    }
  }
}

/**
 * Decodes the 68 bytes of a handshake. Fields are views into `bytes`. Throws
 * WIRE_BAD_HANDSHAKE on a wrong protocol string or length.
 */
export function decodeHandshake(bytes: Uint8Array, offset = 0): Handshake {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('wire: decodeHandshake() takes a Uint8Array');
  checkProtocolPrefix(bytes, offset);
  if (bytes.length !== HANDSHAKE_LENGTH) throw new WireError(WireErrorCode.BAD_HANDSHAKE, `a handshake is ${HANDSHAKE_LENGTH} bytes, got ${bytes.length}`, { offset });
  const reserved = bytes.subarray(20, 28);
  return { type: 'handshake', reserved, infoHash: bytes.subarray(28, 48), peerId: bytes.subarray(48, 68), features: readReserved(reserved) };
}
