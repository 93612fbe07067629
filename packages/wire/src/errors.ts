/**
 * Every way a peer can break the wire protocol, or a connection can end badly, as a stable
 * code. Tests and callers match on these, never on message text.
 */
export const WireErrorCode = {
  /** The handshake does not start with `\x13BitTorrent protocol`. */
  BAD_HANDSHAKE: 'WIRE_BAD_HANDSHAKE',
  /** The remote handshake names an info hash we did not ask for or do not serve. */
  INFO_HASH_MISMATCH: 'WIRE_INFO_HASH_MISMATCH',
  /** A length prefix over `maxMessageLength`, a piece over `maxBlockLength`. Raised before any allocation. */
  MESSAGE_TOO_LONG: 'WIRE_MESSAGE_TOO_LONG',
  /** A message whose length does not fit its type (a 6-byte `have`, a bitfield of the wrong size). */
  BAD_LENGTH: 'WIRE_BAD_LENGTH',
  /** A bitfield with spare bits set past the last piece (BEP 3: they must be zero). */
  BAD_BITFIELD: 'WIRE_BAD_BITFIELD',
  /** A BEP 10 extended handshake that is not a bencoded dictionary. */
  BAD_EXTENDED: 'WIRE_BAD_EXTENDED',
  /** A BEP 9 ut_metadata message that is malformed or out of bounds. */
  BAD_METADATA: 'WIRE_BAD_METADATA',
  /** A BEP 11 ut_pex message that is malformed. */
  BAD_PEX: 'WIRE_BAD_PEX',
  /** A message the negotiated extensions do not allow (a BEP 6 message without the fast bit, ...). */
  UNEXPECTED_MESSAGE: 'WIRE_UNEXPECTED_MESSAGE',
  /** `sendExtended` named an extension the peer did not announce in its extended handshake. */
  UNSUPPORTED_EXTENSION: 'WIRE_UNSUPPORTED_EXTENSION',
  /** No complete handshake within `handshakeTimeout`. */
  HANDSHAKE_TIMEOUT: 'WIRE_HANDSHAKE_TIMEOUT',
  /** Nothing received for `idleTimeout`. */
  IDLE_TIMEOUT: 'WIRE_IDLE_TIMEOUT',
  /** The peer closed the connection. */
  CLOSED: 'WIRE_CLOSED',
  /** The connection was closed through its AbortSignal. */
  ABORTED: 'WIRE_ABORTED',
  /** The socket failed (connection refused, reset, ...); the system error is the `cause`. */
  SOCKET_ERROR: 'WIRE_SOCKET_ERROR',
} as const;

export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

export interface WireErrorOptions {
  /** Byte offset in the received stream (the handshake's first byte is 0) where the problem starts. */
  offset?: number;
  /** The remote peer as `host:port`. */
  peer?: string;
  cause?: unknown;
}

// The bare message of each error, so that a copy can be located again (withPeer) without
// repeating "at byte N" in its text.
const reasons = new WeakMap<WireError, string>();

/** The one error class of @gtorr/wire: a peer broke the protocol, or the connection ended badly. */
export class WireError extends Error {
  override readonly name = 'WireError';
  readonly code: WireErrorCode;
  /** Byte offset in the received stream, for decoding errors. */
  readonly offset: number | undefined;
  /** The remote peer as `host:port`, for errors raised by a connection. */
  readonly peer: string | undefined;

  constructor(code: WireErrorCode, message: string, options: WireErrorOptions = {}) {
    const where = options.offset !== undefined ? ` at byte ${options.offset}` : '';
    const who = options.peer !== undefined ? ` (peer ${options.peer})` : '';
    super(`${message}${where}${who}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = options.offset;
    this.peer = options.peer;
    reasons.set(this, message);
  }
}

/** A copy of `error` that names the peer it came from (the original is its `cause`). */
export function withPeer(error: WireError, peer: string): WireError {
  if (error.peer !== undefined) return error;
  return new WireError(error.code, reasons.get(error) ?? error.message, { offset: error.offset, peer, cause: error });
}
