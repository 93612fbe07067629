import { encode } from '@gtorr/bencode';
import { describe, expect, it } from 'vitest';
import { decodeExtendedHandshake, encodeExtendedHandshake } from '../../src/index.js';

describe('BEP 10 extended handshake', () => {
  it('round-trips m, v, p, reqq, metadata_size and the address fields', () => {
    const handshake = {
      m: { ut_metadata: 2, ut_pex: 1, lt_donthave: 0 },
      v: 'gtorr 0.1.0',
      p: 6881,
      reqq: 250,
      metadataSize: 31235,
      yourip: new Uint8Array([127, 0, 0, 1]),
      ipv4: new Uint8Array([10, 0, 0, 2]),
      ipv6: new Uint8Array(16).fill(1),
    };
    const decoded = decodeExtendedHandshake(encodeExtendedHandshake(handshake));
    expect({ ...decoded, m: { ...decoded.m }, raw: undefined }).toEqual({ ...handshake, raw: undefined });
  });

  it('writes bencode with the BEP field names, keys sorted', () => {
    const bytes = encodeExtendedHandshake({ m: { ut_metadata: 3 }, metadataSize: 100, v: 'x' });
    expect(new TextDecoder().decode(bytes)).toBe('d1:md11:ut_metadatai3ee13:metadata_sizei100e1:v1:xe');
  });

  it('keeps keys it does not name in raw', () => {
    const decoded = decodeExtendedHandshake(encode({ m: {}, e: 1, upload_only: 1 }));
    expect(decoded.raw?.upload_only).toBe(1);
    expect(decoded.raw?.e).toBe(1);
  });

  it('drops known fields of the wrong type or range instead of failing', () => {
    const decoded = decodeExtendedHandshake(encode({ m: { good: 1, negative: -1, big: 256, text: 'x' }, p: 70000, reqq: 'many', metadata_size: -5, yourip: 'abc', v: 5 }));
    expect({ ...decoded.m }).toEqual({ good: 1 });
    expect(decoded.p).toBeUndefined();
    expect(decoded.reqq).toBeUndefined();
    expect(decoded.metadataSize).toBeUndefined();
    expect(decoded.yourip).toBeUndefined();
    expect(decoded.v).toBeUndefined();
  });

  it('accepts keys out of order, as some clients send them', () => {
    const bytes = new TextEncoder().encode('d1:v3:abc1:md6:ut_pexi1eee');
    expect(decodeExtendedHandshake(bytes)).toMatchObject({ v: 'abc', m: { ut_pex: 1 } });
  });

  it('gives an empty m when m is missing', () => {
    expect({ ...decodeExtendedHandshake(encode({ v: 'x' })).m }).toEqual({});
  });

  it.each([
    ['not bencode', 'hello'],
    ['a list', 'le'],
    ['a dictionary with trailing bytes', 'de1'],
  ])('rejects %s with WIRE_BAD_EXTENDED', (_, text) => {
    expect(() => decodeExtendedHandshake(new TextEncoder().encode(text))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_EXTENDED' }));
  });

  it('does not let a __proto__ extension name reach the prototype', () => {
    const decoded = decodeExtendedHandshake(new TextEncoder().encode('d1:md9:__proto__i5eee'));
    expect(decoded.m.__proto__).toBe(5);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});
