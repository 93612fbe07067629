import { encode } from '@gtorr/bencode';
import { describe, expect, it } from 'vitest';
import { parseScrapeResponse, type TrackerError } from '../../src/index.js';

describe('parseScrapeResponse (BEP 48)', () => {
  it('reads the counts of every 20-byte info hash, binary keys included', () => {
    const a = new Uint8Array(20).fill(0xff); // not UTF-8
    const b = new TextEncoder().encode('abcdefghijabcdefghij');
    const files = new Map<Uint8Array, object>([
      [a, { complete: 1, incomplete: 2, downloaded: 3, name: 'A' }],
      [b, { complete: 4 }],
      [new Uint8Array(5), { complete: 9 }],
    ]);
    const response = parseScrapeResponse(encode({ files: files as never, flags: { min_request_interval: 120 } }));
    expect(response.minRequestInterval).toBe(120);
    expect(response.files).toHaveLength(2);
    expect(response.files.find((f) => f.infoHash[0] === 0xff)).toEqual({ infoHash: a, complete: 1, incomplete: 2, downloaded: 3, name: 'A' });
    expect(response.files.find((f) => f.infoHash[0] === 0x61)).toEqual({ infoHash: b, complete: 4, incomplete: 0, downloaded: 0 });
  });

  it('refuses a response without files, and passes a failure reason on', () => {
    const code = (body: Uint8Array) => {
      try {
        parseScrapeResponse(body);
      } catch (error) {
        return (error as TrackerError).code;
      }
      return 'none';
    };
    expect(code(encode({ interval: 1 }))).toBe('TRACKER_BAD_RESPONSE');
    expect(code(encode({ files: [] }))).toBe('TRACKER_BAD_RESPONSE');
    expect(code(new TextEncoder().encode('garbage'))).toBe('TRACKER_BAD_RESPONSE');
    expect(code(encode({ 'failure reason': 'no scrape here' }))).toBe('TRACKER_FAILURE');
  });
});
