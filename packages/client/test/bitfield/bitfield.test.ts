import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitfieldError } from '../../src/bitfield/bitfield-error.js';
import { Bitfield } from '../../src/bitfield/bitfield.js';

function indexes(length: number): fc.Arbitrary<{ length: number; set: number[] }> {
  return fc.integer({ min: 0, max: length }).chain((n) =>
    fc.record({ length: fc.constant(n), set: n === 0 ? fc.constant([]) : fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }) }),
  );
}

function build(length: number, set: readonly number[]): Bitfield {
  const bitfield = new Bitfield(length);
  for (const i of set) bitfield.set(i);
  return bitfield;
}

describe('Bitfield (BEP 3 bit order)', () => {
  it('puts piece 0 in the high bit of byte 0', () => {
    const bitfield = new Bitfield(10);
    bitfield.set(0);
    bitfield.set(9);
    expect([...bitfield.toWire()]).toEqual([0b1000_0000, 0b0100_0000]);
  });

  it.each([
    { name: 'known answer', bytes: [0b1010_0000], length: 3, set: [0, 2] },
    { name: 'byte boundary', bytes: [0b0000_0001, 0b1000_0000], length: 9, set: [7, 8] },
    { name: 'exact bytes, no spare bits', bytes: [0xff, 0xff], length: 16, set: Array.from({ length: 16 }, (_, i) => i) },
    { name: 'empty torrent', bytes: [], length: 0, set: [] },
  ])('reads a wire bitfield: $name', ({ bytes, length, set }) => {
    const bitfield = Bitfield.fromWire(Uint8Array.from(bytes), length);
    expect([...bitfield.setIndexes()]).toEqual(set);
    expect(bitfield.count).toBe(set.length);
  });

  it.each([
    { name: 'one byte short', bytes: [0xff], length: 9, code: 'CLIENT_BITFIELD_WRONG_LENGTH', offset: 2 },
    { name: 'one byte long', bytes: [0xff, 0, 0], length: 16, code: 'CLIENT_BITFIELD_WRONG_LENGTH', offset: 2 },
    { name: 'last spare bit set', bytes: [0xff, 0b1000_0001], length: 9, code: 'CLIENT_BITFIELD_SPARE_BITS', offset: 1 },
    { name: 'first spare bit set', bytes: [0b0010_0000], length: 2, code: 'CLIENT_BITFIELD_SPARE_BITS', offset: 0 },
    { name: 'bytes for a zero-piece torrent', bytes: [0], length: 0, code: 'CLIENT_BITFIELD_WRONG_LENGTH', offset: 0 },
  ])('refuses a lying bitfield: $name', ({ bytes, length, code, offset }) => {
    let caught: unknown;
    try {
      Bitfield.fromWire(Uint8Array.from(bytes), length);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BitfieldError);
    expect(caught).toMatchObject({ code, offset, name: 'BitfieldError' });
  });

  it('copies wire bytes in and out, never sharing them', () => {
    const input = Uint8Array.from([0b1100_0000]);
    const bitfield = Bitfield.fromWire(input, 4);
    input[0] = 0;
    expect(bitfield.get(0)).toBe(true);
    const out = bitfield.toWire();
    out[0] = 0;
    expect(bitfield.get(1)).toBe(true);
  });

  it('reports whether set and clear changed anything, and keeps count', () => {
    const bitfield = new Bitfield(5);
    expect(bitfield.set(3)).toBe(true);
    expect(bitfield.set(3)).toBe(false);
    expect(bitfield.count).toBe(1);
    expect(bitfield.clear(3)).toBe(true);
    expect(bitfield.clear(3)).toBe(false);
    expect(bitfield.count).toBe(0);
    expect(bitfield.isEmpty).toBe(true);
  });

  it('setAll leaves spare bits clear and makes it complete', () => {
    const bitfield = new Bitfield(11);
    bitfield.setAll();
    expect([...bitfield.toWire()]).toEqual([0xff, 0b1110_0000]);
    expect(bitfield.isComplete).toBe(true);
    expect(Bitfield.full(0).isComplete).toBe(true);
    expect(bitfield.nextUnset(0)).toBe(-1);
  });

  it('throws RangeError for an index out of range', () => {
    const bitfield = new Bitfield(8);
    expect(() => bitfield.get(8)).toThrow(RangeError);
    expect(() => bitfield.set(-1)).toThrow(RangeError);
    expect(() => bitfield.clear(1.5)).toThrow(RangeError);
    expect(() => new Bitfield(-1)).toThrow(RangeError);
  });

  it('tells whether a peer has a piece we lack', () => {
    const ours = build(12, [0, 1, 2]);
    expect(build(12, [1, 2]).hasAnyNotIn(ours)).toBe(false);
    expect(build(12, [1, 11]).hasAnyNotIn(ours)).toBe(true);
    expect(() => ours.hasAnyNotIn(new Bitfield(13))).toThrow(RangeError);
  });

  it('union adds bits, reports the new ones, and counts them', () => {
    const a = build(20, [0, 5]);
    const fresh: number[] = [];
    expect(a.union(build(20, [5, 6, 19]), (i) => fresh.push(i))).toBe(2);
    expect(fresh).toEqual([6, 19]);
    expect([...a.setIndexes()]).toEqual([0, 5, 6, 19]);
    expect(a.count).toBe(4);
  });
});

describe('Bitfield properties (fast-check)', () => {
  it('round-trips through wire bytes', () => {
    fc.assert(
      fc.property(indexes(200), ({ length, set }) => {
        const bitfield = build(length, set);
        const back = Bitfield.fromWire(bitfield.toWire(), length);
        expect(back.equals(bitfield)).toBe(true);
        expect(back.count).toBe(set.length);
      }),
      { numRuns: 300 },
    );
  });

  it('iterates exactly the set and the unset indexes, in order', () => {
    fc.assert(
      fc.property(indexes(150), ({ length, set }) => {
        const bitfield = build(length, set);
        const expectedSet = [...set].sort((a, b) => a - b);
        const expectedUnset = Array.from({ length }, (_, i) => i).filter((i) => !set.includes(i));
        expect([...bitfield.setIndexes()]).toEqual(expectedSet);
        expect([...bitfield.unsetIndexes()]).toEqual(expectedUnset);
        expect(bitfield.isComplete).toBe(expectedUnset.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts any bytes with clear spare bits and refuses any with one set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), (length, raw) => {
        const bytes = raw.slice(0, Math.ceil(length / 8));
        const spare = bytes.length * 8 - length;
        const spareSet = spare > 0 && (bytes[bytes.length - 1]! & ((1 << spare) - 1)) !== 0;
        if (spareSet) expect(() => Bitfield.fromWire(bytes, length)).toThrow(BitfieldError);
        else expect([...Bitfield.fromWire(bytes, length).toWire()]).toEqual([...bytes]);
      }),
      { numRuns: 500 },
    );
  });

  it('nextSet and nextUnset agree with get from any starting point', () => {
    fc.assert(
      fc.property(indexes(80), fc.nat(90), ({ length, set }, from) => {
        const bitfield = build(length, set);
        let expectedSet = -1;
        let expectedUnset = -1;
        for (let i = from; i < length; i++) {
          if (expectedSet === -1 && bitfield.get(i)) expectedSet = i;
          if (expectedUnset === -1 && !bitfield.get(i)) expectedUnset = i;
        }
        expect(bitfield.nextSet(from)).toBe(expectedSet);
        expect(bitfield.nextUnset(from)).toBe(expectedUnset);
      }),
      { numRuns: 500 },
    );
  });
});
