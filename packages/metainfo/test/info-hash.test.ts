import { describe, expect, it } from 'vitest';
import { hexToBytes, parseInfoHash, toHex } from '../src/index.js';

describe('info hash text', () => {
  it('writes lower-case hex', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('reads hex of either case back', () => {
    expect(hexToBytes('0001ABff')).toEqual(Uint8Array.of(0, 1, 0xab, 0xff));
    expect(hexToBytes('abc')).toBeUndefined();
    expect(hexToBytes('zz')).toBeUndefined();
  });

  it('reads v1 hashes as 40 hex or 32 base32 characters, v2 as 64 hex', () => {
    const v1 = 'c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd';
    expect(toHex(parseInfoHash(v1).v1!)).toBe(v1);
    // The same hash in RFC 4648 base32 (computed with Python's base64.b32encode).
    expect(toHex(parseInfoHash('YM2BHDXVX7BNK2HKOMSOBYVDU7WCFG65').v1!)).toBe(v1);
    expect(toHex(parseInfoHash('ym2bhdxvx7bnk2hkomsobyvdu7wcfg65').v1!)).toBe(v1);
    const v2 = parseInfoHash('ab'.repeat(32));
    expect(v2.v1).toBeNull();
    expect(v2.v2).toHaveLength(32);
  });
});
