import fc from 'fast-check';
import { encode, type Encodable } from '@gtorr/bencode';
import { describe, expect, it } from 'vitest';
import { parseAnnounceResponse, TrackerError } from '../../src/index.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function errorOf(body: Uint8Array): TrackerError {
  try {
    parseAnnounceResponse(body, { url: 'http://t/announce' });
  } catch (error) {
    if (error instanceof TrackerError) return error;
    throw error;
  }
  throw new Error('expected a TrackerError');
}

describe('parseAnnounceResponse', () => {
  it('reads compact IPv4 peers (BEP 23) and IPv6 peers6 (BEP 7)', () => {
    const peers = Uint8Array.of(127, 0, 0, 1, 0x1a, 0xe1, 10, 1, 2, 3, 0, 80);
    const peers6 = new Uint8Array(18);
    peers6[15] = 1;
    peers6[16] = 0x1f;
    peers6[17] = 0x90;
    const response = parseAnnounceResponse(encode({ interval: 900, 'min interval': 60, complete: 3, incomplete: 4, peers, peers6, 'tracker id': 'tid', 'warning message': 'be nice', 'external ip': Uint8Array.of(192, 0, 2, 7) }));
    expect(response).toEqual({
      interval: 900,
      minInterval: 60,
      complete: 3,
      incomplete: 4,
      trackerId: bytes('tid'),
      warningMessage: 'be nice',
      externalIp: '192.0.2.7',
      peers: [
        { host: '127.0.0.1', port: 6881 },
        { host: '10.1.2.3', port: 80 },
        { host: '::1', port: 8080 },
      ],
    });
  });

  it('reads dictionary peers with their peer ids (BEP 3), as copies', () => {
    const id = bytes('-XX0001-000000000000');
    const body = encode({ interval: 60, peers: [{ ip: '192.0.2.1', port: 1, 'peer id': id }, { ip: 'peer.example', port: 2 }, { ip: '2001:db8::1', port: 3 }] });
    const response = parseAnnounceResponse(body);
    expect(response.peers).toEqual([{ host: '192.0.2.1', port: 1, peerId: id }, { host: 'peer.example', port: 2 }, { host: '2001:db8::1', port: 3 }]);
    expect(response.peers[0]!.peerId!.buffer).not.toBe(body.buffer);
  });

  it('defaults a missing interval to 1800, skips port-0 peers, and tolerates trailing bytes and unsorted keys', () => {
    expect(parseAnnounceResponse(bytes('d5:peers12:\x7f\x00\x00\x01\x00\x00\x7f\x00\x00\x01\x00\x01e\n')).peers).toEqual([{ host: '127.0.0.1', port: 1 }]);
    const r = parseAnnounceResponse(bytes('d8:intervali5e8:completei1ee'));
    expect([r.interval, r.complete, r.peers]).toEqual([5, 1, []]);
    expect(parseAnnounceResponse(bytes('de')).interval).toBe(1800);
  });

  it('turns a failure reason into TRACKER_FAILURE with the reason and BEP 31 retry in', () => {
    const e = errorOf(encode({ 'failure reason': 'unregistered torrent', 'retry in': 'never' }));
    expect([e.code, e.failureReason, e.retryIn, e.retryable, e.url]).toEqual(['TRACKER_FAILURE', 'unregistered torrent', 'never', false, 'http://t/announce']);
    const later = errorOf(encode({ 'failure reason': 'busy', 'retry in': 5 }));
    expect([later.retryIn, later.retryable]).toEqual([5, true]);
  });

  it.each<[string, Encodable | Uint8Array, string]>([
    ['not bencode (an HTML page)', bytes('<html>502 Bad Gateway</html>'), 'TRACKER_BAD_RESPONSE'],
    ['empty body', new Uint8Array(0), 'TRACKER_BAD_RESPONSE'],
    ['a list, not a dictionary', encode(['peers']), 'TRACKER_BAD_RESPONSE'],
    ['truncated dictionary', bytes('d8:intervali60e5:peers6:abc'), 'TRACKER_BAD_RESPONSE'],
    ['negative interval', encode({ interval: -1 }), 'TRACKER_BAD_RESPONSE'],
    ['interval as text', encode({ interval: '60' }), 'TRACKER_BAD_RESPONSE'],
    ['min interval as a list', encode({ interval: 1, 'min interval': [] }), 'TRACKER_BAD_RESPONSE'],
    ['nested 100 deep', bytes('d1:x' + 'l'.repeat(100) + 'e'.repeat(100) + 'e'), 'TRACKER_BAD_RESPONSE'],
    ['compact peers of 7 bytes', encode({ interval: 1, peers: new Uint8Array(7) }), 'TRACKER_BAD_PEERS'],
    ['compact peers of 5 bytes', encode({ interval: 1, peers: new Uint8Array(5) }), 'TRACKER_BAD_PEERS'],
    ['peers6 of 36 + 6 bytes', encode({ interval: 1, peers6: new Uint8Array(42) }), 'TRACKER_BAD_PEERS'],
    ['peers as a number', encode({ interval: 1, peers: 5 }), 'TRACKER_BAD_PEERS'],
    ['peers6 as a list', encode({ interval: 1, peers6: [] }), 'TRACKER_BAD_PEERS'],
    ['a dictionary peer without ip', encode({ interval: 1, peers: [{ port: 1 }] }), 'TRACKER_BAD_PEERS'],
    ['a dictionary peer with port 70000', encode({ interval: 1, peers: [{ ip: '1.2.3.4', port: 70000 }] }), 'TRACKER_BAD_PEERS'],
    ['a peer that is a string', encode({ interval: 1, peers: ['1.2.3.4:5'] }), 'TRACKER_BAD_PEERS'],
  ])('refuses %s', (_, body, code) => {
    expect(errorOf(body as Uint8Array).code).toBe(code);
  });

  it('ignores informational fields of the wrong type', () => {
    const r = parseAnnounceResponse(encode({ interval: 1, complete: 'many', incomplete: -3, 'warning message': 7, 'external ip': 'abc', 'tracker id': '' }));
    expect([r.complete, r.incomplete, r.warningMessage, r.externalIp, r.trackerId]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('only ever throws TrackerError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        try {
          parseAnnounceResponse(body);
        } catch (error) {
          expect(error).toBeInstanceOf(TrackerError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('only ever throws TrackerError on random dictionaries', () => {
    const value = fc.oneof(fc.integer(), fc.string(), fc.uint8Array({ maxLength: 40 }), fc.array(fc.dictionary(fc.constantFrom('ip', 'port', 'peer id'), fc.oneof(fc.integer(), fc.string())), { maxLength: 3 }));
    const dictionary = fc.dictionary(fc.constantFrom('interval', 'min interval', 'peers', 'peers6', 'complete', 'failure reason', 'tracker id', 'external ip'), value);
    fc.assert(
      fc.property(dictionary, (d) => {
        try {
          const r = parseAnnounceResponse(encode(d));
          for (const p of r.peers) expect(p.port).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(TrackerError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
