/**
 * Every way bencode can be malformed, or a value can be unencodable, as a stable code.
 * Tests and callers match on these, never on message text.
 */
export const BencodeErrorCode = {
  /** The input ended inside a value. */
  UNEXPECTED_END: 'BENCODE_UNEXPECTED_END',
  /** A byte that cannot start a value (or end a container) where one was expected. */
  UNEXPECTED_BYTE: 'BENCODE_UNEXPECTED_BYTE',
  /** `ie`: an integer with no digits. */
  EMPTY_INTEGER: 'BENCODE_EMPTY_INTEGER',
  /** An integer or a length prefix with a leading zero (`i03e`, `03:abc`). */
  LEADING_ZERO: 'BENCODE_LEADING_ZERO',
  /** `i-0e`: BEP 3 forbids negative zero. */
  NEGATIVE_ZERO: 'BENCODE_NEGATIVE_ZERO',
  /** An integer holding something other than an optional `-` and digits. */
  INVALID_INTEGER: 'BENCODE_INVALID_INTEGER',
  /** A byte string's length prefix is not digits followed by `:`. */
  INVALID_LENGTH: 'BENCODE_INVALID_LENGTH',
  /** A byte string claims more bytes than the input holds. */
  LENGTH_EXCEEDS_INPUT: 'BENCODE_LENGTH_EXCEEDS_INPUT',
  /** A byte string is longer than the `maxLength` option allows. */
  LENGTH_LIMIT: 'BENCODE_LENGTH_LIMIT',
  /** Dictionary keys not in ascending raw-byte order (strict mode only). */
  UNSORTED_KEYS: 'BENCODE_UNSORTED_KEYS',
  /** The same key twice in one dictionary. */
  DUPLICATE_KEY: 'BENCODE_DUPLICATE_KEY',
  /** A dictionary key that is not a byte string. */
  KEY_NOT_STRING: 'BENCODE_KEY_NOT_STRING',
  /** Two different raw keys that read as the same string (one of them not UTF-8). */
  KEY_COLLISION: 'BENCODE_KEY_COLLISION',
  /** Containers nested deeper than the `maxDepth` option allows. */
  MAX_DEPTH: 'BENCODE_MAX_DEPTH',
  /** Bytes left over after the one top-level value. */
  TRAILING_BYTES: 'BENCODE_TRAILING_BYTES',
  /** encode: a value bencode has no form for (undefined, null, boolean, function, symbol, ...). */
  UNSUPPORTED_TYPE: 'BENCODE_UNSUPPORTED_TYPE',
  /** encode: a number that is not a safe integer (NaN, Infinity, 1.5, 2^53). */
  NOT_INTEGER: 'BENCODE_NOT_INTEGER',
  /** encode: a value that contains itself. */
  CYCLE: 'BENCODE_CYCLE',
} as const;

export type BencodeErrorCode = (typeof BencodeErrorCode)[keyof typeof BencodeErrorCode];

export interface BencodeErrorOptions {
  /** Byte offset in the input where decoding failed. */
  offset?: number;
  /** Where in the value encoding failed, as a property path (`info.files[3].length`). */
  path?: string;
  cause?: unknown;
}

/** The one error class of @gtorr/bencode: bad input to `decode`, or an unencodable value. */
export class BencodeError extends Error {
  override readonly name = 'BencodeError';
  readonly code: BencodeErrorCode;
  /** Byte offset of the problem in the decoded input (decode errors only). */
  readonly offset: number | undefined;
  /** Property path of the offending value (encode errors only). */
  readonly path: string | undefined;

  constructor(code: BencodeErrorCode, message: string, options: BencodeErrorOptions = {}) {
    const where = options.offset !== undefined ? ` at byte ${options.offset}` : options.path !== undefined ? ` at ${options.path || '(root)'}` : '';
    super(`${message}${where}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = options.offset;
    this.path = options.path;
  }
}
