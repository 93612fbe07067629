import { describe, expect, it } from 'vitest';
import { buildAnnounceUrl, type TrackerError, type AnnounceRequest } from '../../src/index.js';

const infoHash = Uint8Array.from({ length: 20 }, (_, i) => [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf1, 0x23, 0x45][i % 10]!);
const peerId = new TextEncoder().encode('-GT0001-a~b.c_d-e f+');
const base: AnnounceRequest = { infoHash, peerId, port: 6881, uploaded: 1, downloaded: 2, left: 3 };

function query(url: string): string[] {
  return url.slice(url.indexOf('?') + 1).split('&');
}

describe('buildAnnounceUrl (BEP 3, BEP 23)', () => {
  it('percent-encodes info_hash and peer_id as raw bytes, leaving unreserved characters', () => {
    const url = buildAnnounceUrl('http://t.example/announce', base);
    // BEP 3's own example bytes: 0x12 0x34 0x56 0x78 0x9a ... -> %124Vx%9A...
    expect(query(url)).toContain('info_hash=%124Vx%9A%BC%DE%F1%23E%124Vx%9A%BC%DE%F1%23E');
    expect(query(url)).toContain('peer_id=-GT0001-a~b.c_d-e%20f%2B');
  });

  it('sends every standard parameter', () => {
    const url = buildAnnounceUrl('http://t.example/announce', { ...base, event: 'started', numwant: 80, key: 0xbeef, trackerId: 'abc/1', ip: '10.0.0.1' });
    expect(query(url).slice(2)).toEqual(['port=6881', 'uploaded=1', 'downloaded=2', 'left=3', 'compact=1', 'event=started', 'numwant=80', 'key=0000BEEF', 'trackerid=abc%2F1', 'ip=10.0.0.1']);
  });

  it('asks for a dictionary list with compact: false and leaves out what is not given', () => {
    const url = buildAnnounceUrl('http://t.example/announce', { ...base, compact: false });
    expect(query(url)).toContain('compact=0');
    expect(url).not.toMatch(/event=|numwant=|key=|trackerid=|ip=/);
  });

  it('keeps an existing query (a passkey) byte for byte and drops a fragment', () => {
    expect(buildAnnounceUrl('https://t.example/a/announce.php?passkey=A%2fb&x#frag', base)).toMatch(/^https:\/\/t\.example\/a\/announce\.php\?passkey=A%2fb&x&info_hash=/);
    expect(buildAnnounceUrl('http://t.example/announce?', base)).toMatch(/^http:\/\/t\.example\/announce\?info_hash=/);
    expect(buildAnnounceUrl('http://t.example/announce?k=1&', base)).toMatch(/\?k=1&info_hash=/);
  });

  it('refuses URLs that are not http(s) with TRACKER_BAD_URL', () => {
    for (const url of ['udp://t.example:80/announce', 'not a url', 'ftp://x/announce']) {
      expect(() => buildAnnounceUrl(url, base)).toThrow(expect.objectContaining({ code: 'TRACKER_BAD_URL', retryable: false }) as TrackerError);
    }
  });

  it('throws RangeError/TypeError on caller mistakes', () => {
    expect(() => buildAnnounceUrl('http://t/announce', { ...base, infoHash: new Uint8Array(19) })).toThrow(RangeError);
    expect(() => buildAnnounceUrl('http://t/announce', { ...base, peerId: 'x' as unknown as Uint8Array })).toThrow(TypeError);
    expect(() => buildAnnounceUrl('http://t/announce', { ...base, port: 0 })).toThrow(RangeError);
    expect(() => buildAnnounceUrl('http://t/announce', { ...base, left: -1 })).toThrow(RangeError);
    expect(() => buildAnnounceUrl('http://t/announce', { ...base, key: 2 ** 32 })).toThrow(RangeError);
    expect(() => buildAnnounceUrl('http://t/announce', { ...base, event: 'paused' as 'started' })).toThrow(RangeError);
  });
});
