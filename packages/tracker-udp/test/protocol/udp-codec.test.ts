import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRequest,
  decodeResponse,
  encodeAnnounceRequest,
  encodeAnnounceResponse,
  encodeConnectRequest,
  encodeConnectResponse,
  encodeErrorResponse,
  encodeScrapeRequest,
  encodeScrapeResponse,
  ipv4Number,
  peekTransactionId,
  TrackerError,
  type AnnounceFields,
} from '../../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fields: AnnounceFields = {
  connectionId: 0x0102030405060708n,
  transactionId: 0xdeadbeef,
  infoHash: new Uint8Array(20).fill(0xaa),
  peerId: new Uint8Array(20).fill(0xbb),
  downloaded: 1,
  left: 2n ** 40n,
  uploaded: 3,
  event: 'started',
  ip: ipv4Number('10.0.0.1'),
  key: 0x11223344,
  numwant: -1,
  port: 6881,
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TrackerError) return error.code;
    throw error;
  }
  return 'none';
}

describe('BEP 15 requests', () => {
  it('lays out a connect request: protocol id, action 0, transaction id', () => {
    expect(hex(encodeConnectRequest(0x01020304))).toBe('0000041727101980' + '00000000' + '01020304');
  });

  it('lays out a 98-byte announce request', () => {
    const bytes = encodeAnnounceRequest(fields);
    expect(bytes.length).toBe(98);
    expect(hex(bytes)).toBe(
      '0102030405060708' + '00000001' + 'deadbeef' + 'aa'.repeat(20) + 'bb'.repeat(20) + '0000000000000001' + '0000010000000000' + '0000000000000003' + '00000002' + '0a000001' + '11223344' + 'ffffffff' + '1ae1',
    );
  });

  it('round-trips announces and scrapes through decodeRequest', () => {
    const back = decodeRequest(encodeAnnounceRequest(fields));
    expect(back).toEqual({ ...fields, action: 'announce', downloaded: 1n, left: 2n ** 40n, uploaded: 3n });
    const hashes = [new Uint8Array(20).fill(1), new Uint8Array(20).fill(2)];
    expect(decodeRequest(encodeScrapeRequest(9n, 7, hashes))).toEqual({ action: 'scrape', connectionId: 9n, transactionId: 7, infoHashes: hashes });
    expect(decodeRequest(encodeConnectRequest(5))).toEqual({ action: 'connect', transactionId: 5 });
  });

  it('maps events both ways', () => {
    for (const [event, n] of [[undefined, 0], ['completed', 1], ['started', 2], ['stopped', 3]] as const) {
      const bytes = encodeAnnounceRequest({ ...fields, event });
      expect(new DataView(bytes.buffer).getUint32(80)).toBe(n);
      expect((decodeRequest(bytes) as { event: unknown }).event).toBe(event);
    }
  });

  it('refuses caller mistakes with RangeError/TypeError', () => {
    expect(() => encodeAnnounceRequest({ ...fields, infoHash: new Uint8Array(32) })).toThrow(RangeError);
    expect(() => encodeAnnounceRequest({ ...fields, left: -1 })).toThrow(RangeError);
    expect(() => encodeAnnounceRequest({ ...fields, left: 2 ** 60 })).toThrow(RangeError);
    expect(() => encodeAnnounceRequest({ ...fields, port: 70000 })).toThrow(RangeError);
    expect(() => encodeAnnounceRequest({ ...fields, numwant: -2 })).toThrow(RangeError);
    expect(() => encodeScrapeRequest(1n, 1, [])).toThrow(RangeError);
    expect(() => encodeScrapeRequest(1n, 1, new Array(75).fill(new Uint8Array(20)))).toThrow(RangeError);
    expect(() => ipv4Number('::1')).toThrow(RangeError);
  });

  it.each([
    ['15 bytes', new Uint8Array(15)],
    ['a connect without the protocol id', new Uint8Array(16)],
    ['an announce of 97 bytes', encodeAnnounceRequest(fields).subarray(0, 97)],
    ['an unknown action', Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0)],
    ['a scrape without hashes', encodeScrapeRequest(1n, 1, [new Uint8Array(20)]).subarray(0, 30)],
  ])('refuses %s with TRACKER_BAD_REQUEST', (_, bytes) => {
    expect(codeOf(() => decodeRequest(bytes))).toBe('TRACKER_BAD_REQUEST');
  });
});

describe('BEP 15 responses', () => {
  it('reads connect, announce (IPv4 and IPv6 by socket family), scrape and error replies', () => {
    expect(decodeResponse(encodeConnectResponse(1, 0xfeedn), 4)).toEqual({ action: 'connect', transactionId: 1, connectionId: 0xfeedn });
    const v4 = encodeAnnounceResponse(2, { interval: 900, incomplete: 3, complete: 4, peers: [{ host: '127.0.0.1', port: 6881 }, { host: '10.0.0.2', port: 1 }] }, 4);
    expect(v4.length).toBe(20 + 12);
    expect(decodeResponse(v4, 4)).toEqual({ action: 'announce', transactionId: 2, interval: 900, incomplete: 3, complete: 4, peers: [{ host: '127.0.0.1', port: 6881 }, { host: '10.0.0.2', port: 1 }] });
    const v6 = encodeAnnounceResponse(3, { interval: 1, incomplete: 0, complete: 1, peers: [{ host: '::1', port: 80 }, { host: '2001:db8::a:b', port: 81 }] }, 6);
    expect(v6.length).toBe(20 + 36);
    expect(decodeResponse(v6, 6).action === 'announce' && decodeResponse(v6, 6)).toMatchObject({ peers: [{ host: '::1', port: 80 }, { host: '2001:db8::a:b', port: 81 }] });
    // The socket's family decides the entry size: 12 bytes of IPv4 peers are no IPv6 list.
    expect(codeOf(() => decodeResponse(v4, 6))).toBe('TRACKER_BAD_PEERS');
    expect(decodeResponse(encodeScrapeResponse(4, [{ complete: 1, downloaded: 2, incomplete: 3 }]), 4)).toEqual({ action: 'scrape', transactionId: 4, files: [{ complete: 1, downloaded: 2, incomplete: 3 }] });
    expect(decodeResponse(encodeErrorResponse(5, 'bad connection id'), 4)).toEqual({ action: 'error', transactionId: 5, message: 'bad connection id' });
    expect(peekTransactionId(encodeErrorResponse(0xabcdef01, ''))).toBe(0xabcdef01);
    expect(peekTransactionId(new Uint8Array(7))).toBeUndefined();
  });

  it.each<[string, Uint8Array, 4 | 6, string]>([
    ['7 bytes', new Uint8Array(7), 4, 'TRACKER_BAD_RESPONSE'],
    ['a connect reply of 12 bytes', encodeConnectResponse(1, 1n).subarray(0, 12), 4, 'TRACKER_BAD_RESPONSE'],
    ['an announce reply of 19 bytes', new Uint8Array([0, 0, 0, 1, ...new Array<number>(15).fill(0)]), 4, 'TRACKER_BAD_RESPONSE'],
    ['IPv4 peers of 20 + 7 bytes', new Uint8Array([0, 0, 0, 1, ...new Array<number>(23).fill(0)]), 4, 'TRACKER_BAD_PEERS'],
    ['IPv6 peers of 20 + 12 bytes', new Uint8Array([0, 0, 0, 1, ...new Array<number>(28).fill(0)]), 6, 'TRACKER_BAD_PEERS'],
    ['a scrape reply of 8 + 5 bytes', new Uint8Array([0, 0, 0, 2, ...new Array<number>(9).fill(0)]), 4, 'TRACKER_BAD_RESPONSE'],
    ['an unknown action', new Uint8Array([0, 0, 0, 7, 0, 0, 0, 0]), 4, 'TRACKER_BAD_RESPONSE'],
  ])('refuses %s', (_, bytes, family, code) => {
    expect(codeOf(() => decodeResponse(bytes, family))).toBe(code);
  });

  it('cuts an error text of a whole datagram to 1 KiB', () => {
    const reply = decodeResponse(encodeErrorResponse(1, 'x'.repeat(60_000)), 4);
    expect(reply.action === 'error' && reply.message.length).toBe(1024);
  });

  it('only ever throws TrackerError on random bytes, either family', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.constantFrom<4 | 6>(4, 6), (bytes, family) => {
        try {
          decodeResponse(bytes, family);
        } catch (error) {
          expect(error).toBeInstanceOf(TrackerError);
        }
        try {
          decodeRequest(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TrackerError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
