import { describe, expect, it } from 'vitest';
import { Bitfield } from '../src/index.js';

describe('Bitfield', () => {
  it('stores bits in BEP 3 order, high bit first', () => {
    const bits = new Bitfield(10);
    bits.set(0);
    bits.set(9);
    expect([...bits.toBytes()]).toEqual([0x80, 0x40]);
    expect(bits.count()).toBe(2);
    expect([...bits.indices()]).toEqual([0, 9]);
  });

  it('ignores spare bits given in the last byte', () => {
    const bits = new Bitfield(10, new Uint8Array([0xff, 0xff]));
    expect(bits.count()).toBe(10);
    expect(bits.isFull()).toBe(true);
    expect([...bits.toBytes()]).toEqual([0xff, 0xc0]);
  });

  it('counts as bits are set and cleared, or merged', () => {
    const a = new Bitfield(20);
    a.set(3);
    a.set(3);
    a.clear(4);
    expect(a.count()).toBe(1);
    const b = new Bitfield(20);
    b.set(3);
    b.set(19);
    a.or(b);
    expect(a.count()).toBe(2);
    expect(a.get(19)).toBe(true);
    a.clear(3);
    expect(a.count()).toBe(1);
    expect(b.clone().toBytes()).toEqual(b.toBytes());
  });

  it('refuses bits outside it and bytes of the wrong size', () => {
    expect(() => new Bitfield(8).get(8)).toThrow(RangeError);
    expect(() => new Bitfield(8).set(-1)).toThrow(RangeError);
    expect(() => new Bitfield(9, new Uint8Array(1))).toThrow(RangeError);
    expect(() => new Bitfield(8).or(new Bitfield(9))).toThrow(RangeError);
  });
});
