import { BitfieldError, BitfieldErrorCode } from './bitfield-error.js';

// Set bits per byte value: count and set-wide operations touch bytes, not bits.
const POPCOUNT = new Uint8Array(256);
for (let v = 1; v < 256; v++) POPCOUNT[v] = (v & 1) + POPCOUNT[v >> 1]!;

function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

// Counts set bits a 32-bit word at a time: `bytes` must start at offset 0 of its buffer.
function countBits(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, 0, bytes.length >>> 2);
  let count = 0;
  for (let i = 0; i < words.length; i++) count += popcount32(words[i]!);
  for (let i = words.length * 4; i < bytes.length; i++) count += POPCOUNT[bytes[i]!]!;
  return count;
}

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bitfield length must be a non-negative integer, got ${length}`);
}

/**
 * One bit per piece, in BEP 3 order: the high bit of byte 0 is piece 0. The set-bit count is
 * kept up to date, so `count` and `isComplete` cost nothing. Spare bits past `length` are
 * always zero.
 */
export class Bitfield {
  /** Number of pieces (bits that mean something). */
  readonly length: number;
  readonly #bytes: Uint8Array;
  #count = 0;

  constructor(length: number) {
    checkLength(length);
    this.length = length;
    this.#bytes = new Uint8Array(Math.ceil(length / 8));
  }

  /** A bitfield with every piece set (a BEP 6 HAVE ALL, or a seed's own state). */
  static full(length: number): Bitfield {
    const bitfield = new Bitfield(length);
    bitfield.setAll();
    return bitfield;
  }

  /**
   * Reads a BITFIELD message's payload. The bytes are copied, never kept.
   * @throws {BitfieldError} `CLIENT_BITFIELD_WRONG_LENGTH` unless `bytes` is exactly
   *   `ceil(length / 8)` long; `CLIENT_BITFIELD_SPARE_BITS` when a bit past the last piece is set.
   */
  static fromWire(bytes: Uint8Array, length: number): Bitfield {
    checkLength(length);
    const expected = Math.ceil(length / 8);
    if (bytes.length !== expected) {
      throw new BitfieldError(BitfieldErrorCode.WRONG_LENGTH, `bitfield of ${bytes.length} bytes, expected ${expected} for ${length} pieces`, expected);
    }
    const spare = expected * 8 - length;
    if (spare > 0 && (bytes[expected - 1]! & ((1 << spare) - 1)) !== 0) {
      throw new BitfieldError(BitfieldErrorCode.SPARE_BITS, `bitfield sets spare bits past piece ${length - 1}`, expected - 1);
    }
    const bitfield = new Bitfield(length);
    bitfield.#bytes.set(bytes);
    bitfield.#count = countBits(bitfield.#bytes);
    return bitfield;
  }

  /** The BITFIELD payload: a fresh copy the caller owns. */
  toWire(): Uint8Array {
    return this.#bytes.slice();
  }

  /** Number of set bits. */
  get count(): number {
    return this.#count;
  }

  /** Every piece is set (true for a zero-length bitfield). */
  get isComplete(): boolean {
    return this.#count === this.length;
  }

  get isEmpty(): boolean {
    return this.#count === 0;
  }

  get(index: number): boolean {
    this.#check(index);
    return (this.#bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  /** Sets a bit; returns whether it changed (false when it was already set). */
  set(index: number): boolean {
    this.#check(index);
    const mask = 0x80 >> (index & 7);
    const byte = this.#bytes[index >> 3]!;
    if ((byte & mask) !== 0) return false;
    this.#bytes[index >> 3] = byte | mask;
    this.#count++;
    return true;
  }

  /** Clears a bit; returns whether it changed. */
  clear(index: number): boolean {
    this.#check(index);
    const mask = 0x80 >> (index & 7);
    const byte = this.#bytes[index >> 3]!;
    if ((byte & mask) === 0) return false;
    this.#bytes[index >> 3] = byte & ~mask;
    this.#count--;
    return true;
  }

  setAll(): void {
    this.#bytes.fill(0xff);
    const spare = this.#bytes.length * 8 - this.length;
    if (spare > 0) this.#bytes[this.#bytes.length - 1] = (0xff << spare) & 0xff;
    this.#count = this.length;
  }

  clearAll(): void {
    this.#bytes.fill(0);
    this.#count = 0;
  }

  /** The first set index at or after `from`, or -1. */
  nextSet(from = 0): number {
    if (from < 0) from = 0;
    if (from >= this.length) return -1;
    const bytes = this.#bytes;
    let at = from >> 3;
    let v = bytes[at]! & (0xff >> (from & 7));
    while (v === 0) {
      if (++at >= bytes.length) return -1;
      v = bytes[at]!;
    }
    return at * 8 + Math.clz32(v) - 24;
  }

  /** The first unset index at or after `from`, or -1. */
  nextUnset(from = 0): number {
    if (from < 0) from = 0;
    if (from >= this.length) return -1;
    const bytes = this.#bytes;
    let at = from >> 3;
    let v = ~bytes[at]! & (0xff >> (from & 7));
    while (v === 0) {
      if (++at >= bytes.length) return -1;
      v = ~bytes[at]! & 0xff;
    }
    const index = at * 8 + Math.clz32(v) - 24;
    return index < this.length ? index : -1;
  }

  /** Set indexes in ascending order. Whole empty bytes are skipped. */
  *setIndexes(): Generator<number, void, undefined> {
    for (let i = this.nextSet(0); i !== -1; i = this.nextSet(i + 1)) yield i;
  }

  /** Unset indexes in ascending order. Whole full bytes are skipped. */
  *unsetIndexes(): Generator<number, void, undefined> {
    for (let i = this.nextUnset(0); i !== -1; i = this.nextUnset(i + 1)) yield i;
  }

  /** Whether this bitfield has a piece that `other` lacks: with `other` ours, whether the peer is interesting. */
  hasAnyNotIn(other: Bitfield): boolean {
    this.#sameLength(other);
    const a = this.#bytes;
    const b = other.#bytes;
    for (let i = 0; i < a.length; i++) if ((a[i]! & ~b[i]!) !== 0) return true;
    return false;
  }

  /**
   * Sets every bit set in `other` (a bulk HAVE, as aria2's mid-connection BITFIELD is),
   * calling `onNew` for each bit that was not set before. Returns how many were new.
   */
  union(other: Bitfield, onNew?: (index: number) => void): number {
    this.#sameLength(other);
    const a = this.#bytes;
    const b = other.#bytes;
    let added = 0;
    for (let i = 0; i < a.length; i++) {
      const fresh = b[i]! & ~a[i]!;
      if (fresh === 0) continue;
      a[i] = a[i]! | fresh;
      added += POPCOUNT[fresh]!;
      if (onNew !== undefined) {
        for (let bit = 0; bit < 8; bit++) if ((fresh & (0x80 >> bit)) !== 0) onNew(i * 8 + bit);
      }
    }
    this.#count += added;
    return added;
  }

  copy(): Bitfield {
    const copy = new Bitfield(this.length);
    copy.#bytes.set(this.#bytes);
    copy.#count = this.#count;
    return copy;
  }

  equals(other: Bitfield): boolean {
    if (other.length !== this.length || other.#count !== this.#count) return false;
    const a = this.#bytes;
    const b = other.#bytes;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  #check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`piece index ${index} out of range 0..${this.length - 1}`);
    }
  }

  #sameLength(other: Bitfield): void {
    if (other.length !== this.length) throw new RangeError(`bitfields of different lengths: ${this.length} and ${other.length}`);
  }
}
