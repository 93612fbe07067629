import { BencodeError, BencodeErrorCode as Code, type BencodeErrorCode } from './errors.js';
import { compareRanges } from './internal/compare.js';
import { markBinaryKey, readKey } from './internal/keys.js';
import type { BencodeDictionary, BencodeMap, BencodeValue, Span } from './types.js';

export interface DecodeOptions {
  /**
   * Accept dictionaries whose keys are out of raw-byte order. BEP 3 requires sorted keys,
   * and so does gtorr by default, but real .torrent files from old tools break the rule.
   * Duplicate keys are rejected either way. The original bytes stay available through
   * `decodeWithSpans`. Default: `false`.
   */
  allowUnsortedKeys?: boolean;
  /** Decode dictionaries as plain objects (default) or as `Map`s. */
  dictionaries?: 'object' | 'map';
  /**
   * The deepest nesting of lists and dictionaries accepted. Default 1000: far beyond any
   * real torrent (a v2 file tree nests once per directory level), and well within the stack.
   */
  maxDepth?: number;
  /** The longest byte string accepted, in bytes. Default: no limit beyond the input's own length. */
  maxLength?: number;
  /**
   * Return byte strings as fresh copies instead of `subarray` views into the input.
   * Default `false`: views are faster, but they share memory with the input.
   */
  copy?: boolean;
}

/** Options of `decodeWithSpans`. */
export interface DecodeWithSpansOptions extends DecodeOptions {
  /**
   * Record spans of lists and dictionaries only down to this depth (the top-level value is
   * depth 1, its children depth 2). A reader that needs only the info dictionary's bytes
   * passes 2 and skips the cost of remembering thousands of file entries. Byte strings
   * decoded as views always have a span. Default: every depth.
   */
  spanDepth?: number;
}

/** What `decodeFirst` returns: the first value and the offset just past it. */
export interface DecodedPrefix<T = BencodeValue> {
  readonly value: T;
  readonly end: number;
}

/** What `decodeWithSpans` returns: the value, and where each container and string came from. */
export interface DecodedWithSpans<T = BencodeValue> {
  readonly value: T;
  /** The input byte range a decoded list, dictionary or byte string was read from. */
  readonly span: (value: object) => Span | undefined;
  /** The exact input bytes a decoded list, dictionary or byte string was read from (a view). */
  readonly raw: (value: object) => Uint8Array | undefined;
}

const DEFAULT_MAX_DEPTH = 1000;
// A length prefix of more than 15 digits can never fit a JavaScript array, let alone the input.
const MAX_LENGTH_DIGITS = 15;

const I = 0x69; // 'i'
const L = 0x6c; // 'l'
const D = 0x64; // 'd'
const E = 0x65; // 'e'
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

class Decoder {
  pos = 0;
  private readonly maxDepth: number;
  private readonly maxLength: number;
  private readonly allowUnsorted: boolean;
  private readonly asMap: boolean;
  private readonly copy: boolean;
  private readonly spanDepth: number;

  constructor(
    private readonly bytes: Uint8Array,
    options: DecodeWithSpansOptions,
    private readonly spans?: Map<object, Span>,
  ) {
    this.spanDepth = options.spanDepth ?? Number.POSITIVE_INFINITY;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxLength = options.maxLength ?? Number.MAX_SAFE_INTEGER;
    this.allowUnsorted = options.allowUnsortedKeys ?? false;
    this.asMap = options.dictionaries === 'map';
    this.copy = options.copy ?? false;
  }

  fail(code: BencodeErrorCode, message: string, offset = this.pos): never {
    throw new BencodeError(code, message, { offset });
  }

  value(depth: number): BencodeValue {
    const b = this.bytes[this.pos];
    if (b === undefined) this.fail(Code.UNEXPECTED_END, 'input ended where a value was expected');
    if (b >= ZERO && b <= NINE) return this.byteString();
    if (b === I) return this.integer();
    if (b === L) return this.list(depth + 1);
    if (b === D) return this.dictionary(depth + 1);
    return this.fail(Code.UNEXPECTED_BYTE, `unexpected byte 0x${b.toString(16).padStart(2, '0')} where a value was expected`);
  }

  integer(): number | bigint {
    const bytes = this.bytes;
    const start = this.pos;
    let p = start + 1;
    const negative = bytes[p] === MINUS;
    if (negative) p++;
    const digitsStart = p;
    let n = 0;
    for (;;) {
      const c = bytes[p];
      if (c === undefined) this.fail(Code.UNEXPECTED_END, 'input ended inside an integer', p);
      if (c === E) break;
      if (c < ZERO || c > NINE) this.fail(Code.INVALID_INTEGER, `unexpected byte 0x${c.toString(16).padStart(2, '0')} in an integer`, p);
      n = n * 10 + (c - ZERO);
      p++;
    }
    const digits = p - digitsStart;
    if (digits === 0) this.fail(Code.EMPTY_INTEGER, 'integer has no digits', start);
    if (bytes[digitsStart] === ZERO) {
      if (digits > 1) this.fail(Code.LEADING_ZERO, 'integer has a leading zero', digitsStart);
      if (negative) this.fail(Code.NEGATIVE_ZERO, 'integer is negative zero', start);
    }
    this.pos = p + 1;
    if (digits <= MAX_LENGTH_DIGITS) return negative ? -n : n;
    // Past 15 digits a double may have rounded: redo the sum exactly.
    let text = '';
    for (let i = digitsStart; i < p; i++) text += String.fromCharCode(bytes[i]!);
    const big = BigInt(text);
    const value = negative ? -big : big;
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  /** Reads a length prefix and its colon; returns the start of the string's bytes. */
  stringStart(): number {
    const bytes = this.bytes;
    const start = this.pos;
    let p = start;
    let length = 0;
    for (;;) {
      const c = bytes[p];
      if (c === undefined) this.fail(Code.UNEXPECTED_END, 'input ended inside a length prefix', p);
      if (c === COLON) break;
      if (c < ZERO || c > NINE) this.fail(Code.INVALID_LENGTH, `unexpected byte 0x${c.toString(16).padStart(2, '0')} in a length prefix`, p);
      if (p - start >= MAX_LENGTH_DIGITS) this.fail(Code.LENGTH_EXCEEDS_INPUT, 'byte string length is larger than the input', start);
      length = length * 10 + (c - ZERO);
      p++;
    }
    if (p === start) this.fail(Code.INVALID_LENGTH, 'length prefix has no digits', start);
    if (bytes[start] === ZERO && p - start > 1) this.fail(Code.LEADING_ZERO, 'length prefix has a leading zero', start);
    if (length > this.maxLength) this.fail(Code.LENGTH_LIMIT, `byte string of ${length} bytes is over the limit of ${this.maxLength}`, start);
    const dataStart = p + 1;
    if (length > bytes.length - dataStart) this.fail(Code.LENGTH_EXCEEDS_INPUT, `byte string of ${length} bytes runs past the end of the input`, start);
    this.pos = dataStart + length;
    return dataStart;
  }

  byteString(): Uint8Array {
    const start = this.pos;
    const dataStart = this.stringStart();
    const bytes = this.bytes;
    // A view built directly: subarray() goes through the species lookup, measurably slower.
    const value = this.copy ? bytes.slice(dataStart, this.pos) : new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart, this.pos - dataStart);
    // Spans of views need no record: they follow from the view's offset (see spanOf).
    if (this.copy) this.spans?.set(value, { start, end: this.pos });
    return value;
  }

  list(depth: number): BencodeValue[] {
    const start = this.pos;
    if (depth > this.maxDepth) this.fail(Code.MAX_DEPTH, `nesting is deeper than ${this.maxDepth}`);
    this.pos++;
    const out: BencodeValue[] = [];
    for (;;) {
      const b = this.bytes[this.pos];
      if (b === E) break;
      if (b === undefined) this.fail(Code.UNEXPECTED_END, 'input ended inside a list');
      out.push(this.value(depth));
    }
    this.pos++;
    if (depth <= this.spanDepth) this.spans?.set(out, { start, end: this.pos });
    return out;
  }

  dictionary(depth: number): BencodeDictionary | BencodeMap {
    const bytes = this.bytes;
    const start = this.pos;
    if (depth > this.maxDepth) this.fail(Code.MAX_DEPTH, `nesting is deeper than ${this.maxDepth}`);
    this.pos++;
    const map: BencodeMap | undefined = this.asMap ? new Map() : undefined;
    const object: BencodeDictionary | undefined = map ? undefined : {};
    const target = (map ?? object)!;
    let previousStart = -1;
    let previousEnd = -1;
    let anyBinary = false;
    for (;;) {
      const b = bytes[this.pos];
      if (b === E) break;
      if (b === undefined) this.fail(Code.UNEXPECTED_END, 'input ended inside a dictionary');
      if (b < ZERO || b > NINE) {
        if (b === I || b === L || b === D) this.fail(Code.KEY_NOT_STRING, 'dictionary key is not a byte string');
        this.fail(Code.UNEXPECTED_BYTE, `unexpected byte 0x${b.toString(16).padStart(2, '0')} where a dictionary key was expected`);
      }
      const keyOffset = this.pos;
      const keyStart = this.stringStart();
      const keyEnd = this.pos;
      let checkExisting = this.allowUnsorted;
      if (previousStart >= 0) {
        const order = compareRanges(bytes, previousStart, previousEnd, keyStart, keyEnd);
        if (order === 0) this.fail(Code.DUPLICATE_KEY, 'dictionary has a duplicate key', keyOffset);
        if (order > 0 && !this.allowUnsorted) this.fail(Code.UNSORTED_KEYS, 'dictionary keys are not in sorted order', keyOffset);
      }
      previousStart = keyStart;
      previousEnd = keyEnd;
      const key = readKey(bytes, keyStart, keyEnd);
      if (key.binary) anyBinary = checkExisting = true;
      else if (anyBinary) checkExisting = true;
      if (checkExisting && (map ? map.has(key.text) : Object.hasOwn(object!, key.text))) {
        this.fail(this.allowUnsorted ? Code.DUPLICATE_KEY : Code.KEY_COLLISION, `dictionary has two keys that read as ${JSON.stringify(key.text)}`, keyOffset);
      }
      const value = this.value(depth);
      if (map) map.set(key.text, value);
      else if (key.text === '__proto__') Object.defineProperty(object, key.text, { value, enumerable: true, writable: true, configurable: true });
      else object![key.text] = value;
      if (key.binary) markBinaryKey(target, key.text);
    }
    this.pos++;
    if (depth <= this.spanDepth) this.spans?.set(target, { start, end: this.pos });
    return target;
  }
}

function checkInput(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bencode: decode() takes a Uint8Array (or a Buffer)');
}

function run<T>(decoder: Decoder, read: () => T): T {
  try {
    return read();
  } catch (error) {
    // A maxDepth set far beyond the default can still exhaust the stack: report it as depth.
    if (error instanceof RangeError) {
      throw new BencodeError(Code.MAX_DEPTH, 'nesting is too deep for the stack', { offset: decoder.pos, cause: error });
    }
    throw error;
  }
}

/**
 * Decodes exactly one bencoded value that fills the whole input.
 *
 * Byte strings are `subarray` views into `bytes` unless `options.copy` is set; the input
 * itself is never modified. Throws `BencodeError` (with `code` and `offset`) on any
 * malformed input, and `TypeError` when `bytes` is not a `Uint8Array`.
 */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): BencodeValue {
  checkInput(bytes);
  const decoder = new Decoder(bytes, options);
  const value = run(decoder, () => decoder.value(0));
  if (decoder.pos !== bytes.length) decoder.fail(Code.TRAILING_BYTES, `${bytes.length - decoder.pos} bytes after the value`);
  return value;
}

/**
 * Decodes the one bencoded value at the start of `bytes` and says where it ends, leaving
 * whatever follows to the caller (BEP 9 metadata messages put raw bytes after a dictionary).
 */
export function decodeFirst(bytes: Uint8Array, options: DecodeOptions = {}): DecodedPrefix {
  checkInput(bytes);
  const decoder = new Decoder(bytes, options);
  const value = run(decoder, () => decoder.value(0));
  return { value, end: decoder.pos };
}

/**
 * The span of a byte string decoded as a view into `input`: its bytes start at the view's
 * offset, and its length prefix (never with leading zeros) stands just before them.
 */
function viewSpan(input: Uint8Array, value: object, options: DecodeWithSpansOptions): Span | undefined {
  if (options.copy || !(value instanceof Uint8Array) || value.buffer !== input.buffer) return undefined;
  const dataStart = value.byteOffset - input.byteOffset;
  const end = dataStart + value.length;
  const start = dataStart - 1 - String(value.length).length;
  if (start < 0 || end > input.length || input[dataStart - 1] !== 0x3a) return undefined;
  return { start, end };
}

/**
 * Decodes like `decode`, and also records where every list, dictionary and byte string
 * came from in the input. This is how the info hash is taken: over the info dictionary's
 * original bytes, never over a re-encoding.
 *
 * @example
 * const { value, raw } = decodeWithSpans(torrentBytes, { allowUnsortedKeys: true });
 * const infoBytes = raw((value as BencodeDictionary).info as object);
 */
export function decodeWithSpans(bytes: Uint8Array, options: DecodeWithSpansOptions = {}): DecodedWithSpans {
  checkInput(bytes);
  // A Map, not a WeakMap: it lives exactly as long as the result anyway, and WeakMap
  // entries cost the garbage collector several times more.
  const spans = new Map<object, Span>();
  const decoder = new Decoder(bytes, options, spans);
  const value = run(decoder, () => decoder.value(0));
  if (decoder.pos !== bytes.length) decoder.fail(Code.TRAILING_BYTES, `${bytes.length - decoder.pos} bytes after the value`);
  const span = (v: object): Span | undefined => spans.get(v) ?? viewSpan(bytes, v, options);
  return {
    value,
    span,
    raw: (v) => {
      const s = span(v);
      return s === undefined ? undefined : bytes.subarray(s.start, s.end);
    },
  };
}
