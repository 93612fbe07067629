import { describe, expect, it } from 'vitest';
import { buildScrapeUrl, toScrapeUrl } from '../../src/index.js';

describe('toScrapeUrl (BEP 48 convention)', () => {
  it.each([
    ['http://example.com/announce', 'http://example.com/scrape'],
    ['http://example.com/x/announce', 'http://example.com/x/scrape'],
    ['http://example.com/announce.php', 'http://example.com/scrape.php'],
    ['http://example.com/announce?x=2%0644', 'http://example.com/scrape?x=2%0644'],
    ['https://example.com:8443/a/announce?passkey=abc#f', 'https://example.com:8443/a/scrape?passkey=abc'],
    ['http://example.com/announce/announce', 'http://example.com/announce/scrape'],
    ['http://example.com/path?x=2/4/announce', undefined],
    ['http://example.com/a', undefined],
    ['http://example.com/x%064announce', undefined],
    ['http://example.com/Announce', undefined],
    ['http://example.com/', undefined],
    ['http://example.com', undefined],
  ])('%s -> %s', (announce, scrape) => {
    if (scrape === undefined) expect(() => toScrapeUrl(announce)).toThrow(expect.objectContaining({ code: 'TRACKER_SCRAPE_UNSUPPORTED' }));
    else expect(toScrapeUrl(announce)).toBe(scrape);
  });

  it('puts one info_hash parameter per hash after the existing query', () => {
    const a = new Uint8Array(20).fill(0xff);
    const b = new Uint8Array(20).fill(0x41);
    expect(buildScrapeUrl('http://t/announce?k=1', [a, b])).toBe(`http://t/scrape?k=1&info_hash=${'%FF'.repeat(20)}&info_hash=${'A'.repeat(20)}`);
    expect(() => buildScrapeUrl('http://t/announce', [])).toThrow(RangeError);
    expect(() => buildScrapeUrl('http://t/announce', [new Uint8Array(32)])).toThrow(RangeError);
  });
});
