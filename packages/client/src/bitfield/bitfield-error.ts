/** Every way a peer's bitfield can be malformed, as a stable code. */
export const BitfieldErrorCode = {
  /** The wire bytes are not exactly `ceil(pieceCount / 8)` long. */
  WRONG_LENGTH: 'CLIENT_BITFIELD_WRONG_LENGTH',
  /** A spare bit past the last piece is set: BEP 3 says they are zero, so the peer claims pieces that do not exist. */
  SPARE_BITS: 'CLIENT_BITFIELD_SPARE_BITS',
} as const;

export type BitfieldErrorCode = (typeof BitfieldErrorCode)[keyof typeof BitfieldErrorCode];

/** A bitfield received from a peer that cannot be true. The peer sent it, so the usual answer is to drop the peer. */
export class BitfieldError extends Error {
  override readonly name = 'BitfieldError';
  readonly code: BitfieldErrorCode;
  /** Byte offset in the wire bytes of the first bad byte (for `WRONG_LENGTH`, the expected length). */
  readonly offset: number;

  constructor(code: BitfieldErrorCode, message: string, offset: number) {
    super(message);
    this.code = code;
    this.offset = offset;
  }
}
