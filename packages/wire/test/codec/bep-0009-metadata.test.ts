import { describe, expect, it } from 'vitest';
import { decodeMetadataMessage, encodeMetadataMessage, metadataPieceCount, type MetadataMessage } from '../../src/index.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('BEP 9 ut_metadata', () => {
  it('encodes a request, a reject and a data message as BEP 9 shows them', () => {
    expect(new TextDecoder().decode(encodeMetadataMessage({ type: 'request', piece: 0 }))).toBe('d8:msg_typei0e5:piecei0ee');
    expect(new TextDecoder().decode(encodeMetadataMessage({ type: 'reject', piece: 0 }))).toBe('d8:msg_typei2e5:piecei0ee');
    const data = encodeMetadataMessage({ type: 'data', piece: 0, totalSize: 3, data: text('abc') });
    expect(new TextDecoder().decode(data)).toBe('d8:msg_typei1e5:piecei0e10:total_sizei3eeabc');
  });

  it.each<MetadataMessage>([
    { type: 'request', piece: 3 },
    { type: 'reject', piece: 1 },
    { type: 'data', piece: 0, totalSize: 20000, data: new Uint8Array(16384).fill(1) },
    { type: 'data', piece: 1, totalSize: 20000, data: new Uint8Array(20000 - 16384).fill(2) },
  ])('round-trips %o', (message) => {
    expect(decodeMetadataMessage(encodeMetadataMessage(message))).toEqual(message);
  });

  it('gives data as a view of the raw bytes after the dictionary', () => {
    const payload = encodeMetadataMessage({ type: 'data', piece: 0, totalSize: 4, data: text('d1:e') });
    const decoded = decodeMetadataMessage(payload);
    expect(decoded?.type === 'data' && decoded.data.buffer).toBe(payload.buffer);
  });

  it('ignores an unknown msg_type, as BEP 9 says', () => {
    expect(decodeMetadataMessage(text('d8:msg_typei7e5:piecei0ee'))).toBeUndefined();
  });

  it.each([
    ['not bencode', 'x'],
    ['no msg_type', 'd5:piecei0ee'],
    ['a negative piece', 'd8:msg_typei0e5:piecei-1ee'],
    ['bytes after a request', 'd8:msg_typei0e5:piecei0eeXX'],
    ['data without total_size', 'd8:msg_typei1e5:piecei0eeabc'],
    ['data shorter than its piece', 'd8:msg_typei1e5:piecei0e10:total_sizei5eeabc'],
    ['data longer than its piece', 'd8:msg_typei1e5:piecei0e10:total_sizei2eeabc'],
    ['data past the end', 'd8:msg_typei1e5:piecei1e10:total_sizei3eeabc'],
    ['a total_size over the limit', 'd8:msg_typei1e5:piecei0e10:total_sizei99999999eeabc'],
  ])('rejects %s with WIRE_BAD_METADATA', (_, payload) => {
    expect(() => decodeMetadataMessage(text(payload))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_METADATA' }));
  });

  it('refuses to encode data that does not fit its piece', () => {
    expect(() => encodeMetadataMessage({ type: 'data', piece: 0, totalSize: 20000, data: new Uint8Array(100) })).toThrow(RangeError);
  });

  it('counts 16 KiB pieces', () => {
    expect([1, 16384, 16385, 32768].map(metadataPieceCount)).toEqual([1, 1, 2, 2]);
  });
});
