import { decode, encode } from '@gtorr/bencode';
import { describe, expect, it } from 'vitest';
import { decodePexMessage, encodePexMessage, PexFlag, type PexMessage } from '../../src/index.js';

describe('BEP 11 ut_pex', () => {
  it('round-trips IPv4 and IPv6 contacts with their flags', () => {
    const message: PexMessage = {
      added: [
        { host: '10.0.0.1', port: 6881, flags: PexFlag.SEED | PexFlag.REACHABLE },
        { host: '2001:db8::1', port: 51413, flags: PexFlag.UTP },
        { host: '192.168.1.20', port: 1, flags: 0 },
      ],
      dropped: [
        { host: '1.2.3.4', port: 80 },
        { host: '::1', port: 443 },
      ],
    };
    const decoded = decodePexMessage(encodePexMessage(message));
    expect(decoded.added).toEqual([message.added[0], message.added[2], message.added[1]]);
    expect(decoded.dropped).toEqual(message.dropped);
  });

  it('writes compact contacts in the BEP 11 fields', () => {
    const value = decode(encodePexMessage({ added: [{ host: '1.2.3.4', port: 0x1ae1, flags: 2 }], dropped: [{ host: '::2', port: 1 }] })) as Record<string, Uint8Array>;
    expect(Object.keys(value)).toEqual(['added', 'added.f', 'dropped6']);
    expect([...value.added!]).toEqual([1, 2, 3, 4, 0x1a, 0xe1]);
    expect([...value['added.f']!]).toEqual([2]);
    expect(value.dropped6!.length).toBe(18);
  });

  it('gives flags 0 where added.f is missing or short', () => {
    const decoded = decodePexMessage(encode({ added: new Uint8Array([1, 1, 1, 1, 0, 1, 2, 2, 2, 2, 0, 2]), 'added.f': new Uint8Array([4]) }));
    expect(decoded.added.map((p) => p.flags)).toEqual([4, 0]);
  });

  it.each([
    ['added of 7 bytes', { added: new Uint8Array(7) }],
    ['dropped6 of 6 bytes', { dropped6: new Uint8Array(6) }],
    ['added given as a number', { added: 5 }],
  ])('rejects %s with WIRE_BAD_PEX', (_, dict) => {
    expect(() => decodePexMessage(encode(dict))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_PEX' }));
  });

  it('rejects a payload that is not a dictionary', () => {
    expect(() => decodePexMessage(new TextEncoder().encode('le'))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_PEX' }));
  });

  it('refuses to encode a host that is not an IP address', () => {
    expect(() => encodePexMessage({ added: [{ host: 'example.org', port: 1, flags: 0 }], dropped: [] })).toThrow(TypeError);
  });
});
