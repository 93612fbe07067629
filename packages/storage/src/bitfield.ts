/**
 * One bit per piece, in BEP 3 order (piece 0 is the high bit of byte 0). The only per-piece
 * state storage keeps: an eighth of a byte a piece, whatever the torrent's size.
 */
export class Bitfield {
  /** The bits; spare bits of the last byte are always zero. */
  private readonly bits: Uint8Array;
  private setCount = 0;

  /**
   * @param length Number of pieces.
   * @param bytes BEP 3 bytes to start from (copied); spare bits past `length` are ignored.
   */
  constructor(
    readonly length: number,
    bytes?: Uint8Array,
  ) {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`a bitfield length is a non-negative integer, got ${length}`);
    this.bits = new Uint8Array(Math.ceil(length / 8));
    if (bytes !== undefined) {
      if (bytes.length !== this.bits.length) throw new RangeError(`${length} pieces take ${this.bits.length} bytes, got ${bytes.length}`);
      this.bits.set(bytes);
      const spare = this.bits.length * 8 - length;
      if (spare > 0) this.bits[this.bits.length - 1]! &= 0xff << spare;
      for (const byte of this.bits) this.setCount += popcount(byte);
    }
  }

  get(index: number): boolean {
    this.check(index);
    return (this.bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  set(index: number, value = true): void {
    this.check(index);
    const mask = 0x80 >> (index & 7);
    const byte = this.bits[index >> 3]!;
    const had = (byte & mask) !== 0;
    if (had === value) return;
    this.bits[index >> 3] = value ? byte | mask : byte & ~mask;
    this.setCount += value ? 1 : -1;
  }

  clear(index: number): void {
    this.set(index, false);
  }

  /** How many bits are set. */
  count(): number {
    return this.setCount;
  }

  /** Whether every bit is set (true for an empty bitfield). */
  isFull(): boolean {
    return this.setCount === this.length;
  }

  /** The BEP 3 bytes, a fresh copy. */
  toBytes(): Uint8Array {
    return this.bits.slice();
  }

  clone(): Bitfield {
    return new Bitfield(this.length, this.bits);
  }

  /** Sets every bit that is set in `other` (of the same length). */
  or(other: Bitfield): this {
    if (other.length !== this.length) throw new RangeError(`bitfields of ${this.length} and ${other.length} bits`);
    const theirs = other.bits;
    this.setCount = 0;
    for (let i = 0; i < this.bits.length; i++) {
      this.bits[i]! |= theirs[i]!;
      this.setCount += popcount(this.bits[i]!);
    }
    return this;
  }

  /** The indices of set bits, in order. */
  *indices(): IterableIterator<number> {
    for (let i = 0; i < this.bits.length; i++) {
      const byte = this.bits[i]!;
      if (byte === 0) continue;
      for (let b = 0; b < 8; b++) if ((byte & (0x80 >> b)) !== 0) yield i * 8 + b;
    }
  }

  private check(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) throw new RangeError(`bit ${index} is outside a bitfield of ${this.length}`);
  }
}

function popcount(byte: number): number {
  let n = byte - ((byte >> 1) & 0x55);
  n = (n & 0x33) + ((n >> 2) & 0x33);
  return (n + (n >> 4)) & 0x0f;
}
