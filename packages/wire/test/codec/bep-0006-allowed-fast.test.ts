import { describe, expect, it } from 'vitest';
import { allowedFastSet } from '../../src/index.js';

const infoHash = new Uint8Array(20).fill(0xaa);

describe('BEP 6 allowed-fast set', () => {
  // The example results printed in BEP 6 itself.
  it('gives the 7-piece set BEP 6 lists for 80.4.4.200, 1313 pieces, info hash aa..aa', () => {
    expect(allowedFastSet('80.4.4.200', infoHash, 1313, 7)).toEqual([1059, 431, 808, 1217, 287, 376, 1188]);
  });

  it('gives the 9-piece set BEP 6 lists, which extends the 7-piece one', () => {
    expect(allowedFastSet('80.4.4.200', infoHash, 1313, 9)).toEqual([1059, 431, 808, 1217, 287, 376, 1188, 353, 508]);
  });

  it('depends only on the /24 of the address', () => {
    expect(allowedFastSet('80.4.4.1', infoHash, 1313, 9)).toEqual(allowedFastSet('80.4.4.200', infoHash, 1313, 9));
    expect(allowedFastSet('80.4.5.200', infoHash, 1313, 9)).not.toEqual(allowedFastSet('80.4.4.200', infoHash, 1313, 9));
  });

  it('accepts the address as bytes or as IPv4-mapped IPv6', () => {
    const expected = allowedFastSet('80.4.4.200', infoHash, 1313, 7);
    expect(allowedFastSet(new Uint8Array([80, 4, 4, 200]), infoHash, 1313, 7)).toEqual(expected);
    expect(allowedFastSet('::ffff:80.4.4.200', infoHash, 1313, 7)).toEqual(expected);
  });

  it('stops at the piece count, with distinct indices', () => {
    const set = allowedFastSet('10.0.0.1', infoHash, 5, 10);
    expect([...set].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(allowedFastSet('10.0.0.1', infoHash, 0, 10)).toEqual([]);
  });

  it('refuses IPv6 and non-addresses, for which BEP 6 defines no set', () => {
    expect(() => allowedFastSet('2001:db8::1', infoHash, 10)).toThrow(RangeError);
    expect(() => allowedFastSet('example.org', infoHash, 10)).toThrow(RangeError);
  });
});
