import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMagnet, type MagnetLink, MetainfoError, parseMagnet, toHex } from '../src/index.js';
import { codeOf } from './helpers.js';

const V1 = 'c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd';
const V2 = '8fca416779576b00264414a484109a8fe4825bef7f80cea158ba5a32e204f79d';

describe('parseMagnet (BEP 9)', () => {
  it('reads a v1 link with name, trackers, web seeds and peers', () => {
    const link = parseMagnet(
      `magnet:?xt=urn:btih:${V1.toUpperCase()}&dn=Sintel+%28the+film%29&tr=udp%3A%2F%2F127.0.0.1%3A6969&tr=http://127.0.0.1:6969/announce&ws=http%3A%2F%2F127.0.0.1%3A8080%2F&x.pe=127.0.0.1:6881&x.pe=[::1]:6882&xl=5490455272`,
    );
    expect(toHex(link.infoHash.v1!)).toBe(V1);
    expect(link.infoHash.v2).toBeNull();
    expect(link.name).toBe('Sintel (the film)');
    expect(link.trackers).toEqual(['udp://127.0.0.1:6969', 'http://127.0.0.1:6969/announce']);
    expect(link.webSeeds).toEqual(['http://127.0.0.1:8080/']);
    expect(link.peers).toEqual(['127.0.0.1:6881', '[::1]:6882']);
    expect(link.length).toBe(5490455272);
  });

  it('reads a base32 v1 hash', () => {
    expect(toHex(parseMagnet('magnet:?xt=urn:btih:YM2BHDXVX7BNK2HKOMSOBYVDU7WCFG65').infoHash.v1!)).toBe(V1);
  });

  it('reads a v2 multihash and a hybrid link with both', () => {
    expect(toHex(parseMagnet(`magnet:?xt=urn:btmh:1220${V2}`).infoHash.v2!)).toBe(V2);
    const hybrid = parseMagnet(`magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}&dn=x`);
    expect(toHex(hybrid.infoHash.v1!)).toBe(V1);
    expect(toHex(hybrid.infoHash.v2!)).toBe(V2);
  });

  it('reads BEP 53 select-only ranges', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${V1}&so=0,2,4-6`).selectOnly).toEqual([
      { start: 0, end: 0 },
      { start: 2, end: 2 },
      { start: 4, end: 6 },
    ]);
  });

  it('accepts numbered parameters (xt.1, tr.2) and ignores unknown ones and other networks', () => {
    const link = parseMagnet(`magnet:?xt.1=urn:ed2k:abc&xt.2=urn:btih:${V1}&tr.1=http://a/&kt=x&as=http://b/&foo`);
    expect(toHex(link.infoHash.v1!)).toBe(V1);
    expect(link.trackers).toEqual(['http://a/']);
  });

  it('decodes UTF-8 percent escapes, and bytes that are not UTF-8 as U+FFFD', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${V1}&dn=%C3%BC%20ber`).name).toBe('ü ber');
    expect(parseMagnet(`magnet:?xt=urn:btih:${V1}&dn=a%FFb`).name).toBe('a\ufffdb');
  });

  it.each([
    ['http://x/', 'METAINFO_BAD_MAGNET'],
    ['magnet:?dn=only-a-name', 'METAINFO_BAD_MAGNET'],
    ['magnet:?xt=urn:ed2k:abc', 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&xt=urn:btih:${'0'.repeat(40)}`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&dn=%zz`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&dn=%4`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&xl=-1`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&xl=99999999999999999999`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&x.pe=127.0.0.1`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&x.pe=127.0.0.1:70000`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&so=1-`, 'METAINFO_BAD_MAGNET'],
    [`magnet:?xt=urn:btih:${V1}&so=5-2`, 'METAINFO_BAD_MAGNET'],
    ['magnet:?xt=urn:btih:abcd', 'METAINFO_BAD_INFO_HASH'],
    [`magnet:?xt=urn:btih:${'g'.repeat(40)}`, 'METAINFO_BAD_INFO_HASH'],
    [`magnet:?xt=urn:btmh:1114${V2}`, 'METAINFO_BAD_INFO_HASH'],
    [`magnet:?xt=urn:btmh:1220${V2.slice(2)}`, 'METAINFO_BAD_INFO_HASH'],
  ])('refuses %s with %s', (uri, code) => {
    expect(codeOf(() => parseMagnet(uri))).toBe(code);
  });
});

describe('formatMagnet', () => {
  it('writes xt first, then the other parameters percent-encoded', () => {
    const uri = formatMagnet({
      infoHash: parseMagnet(`magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}`).infoHash,
      name: 'a b&c',
      trackers: ['udp://127.0.0.1:6969'],
      selectOnly: [{ start: 1, end: 3 }],
    });
    expect(uri).toBe(`magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}&dn=a%20b%26c&tr=udp%3A%2F%2F127.0.0.1%3A6969&so=1-3`);
  });

  it('refuses a link with no info hash or hashes of the wrong size', () => {
    expect(() => formatMagnet({ infoHash: { v1: null, v2: null } })).toThrow(TypeError);
    expect(() => formatMagnet({ infoHash: { v1: new Uint8Array(19), v2: null } })).toThrow(RangeError);
  });

  const text = fc.string({ unit: 'grapheme', maxLength: 20 });
  const url = fc.webUrl();
  const link: fc.Arbitrary<MagnetLink> = fc
    .record(
      {
        v1: fc.option(fc.uint8Array({ minLength: 20, maxLength: 20 })),
        v2: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 })),
        name: text,
        length: fc.maxSafeNat(),
        trackers: fc.uniqueArray(url, { maxLength: 4 }),
        webSeeds: fc.uniqueArray(url, { maxLength: 3 }),
        peers: fc.uniqueArray(fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}:${p}`), { maxLength: 3 }),
        selectOnly: fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })), { minLength: 1, maxLength: 4 }),
      },
      { requiredKeys: ['v1', 'v2', 'trackers', 'webSeeds', 'peers'] },
    )
    .filter((r) => r.v1 !== null || r.v2 !== null)
    .map(({ v1, v2, ...rest }) => ({ infoHash: { v1, v2 }, ...rest }));

  it('round-trips: parseMagnet(formatMagnet(link)) is link', () => {
    fc.assert(
      fc.property(link, (value) => {
        const parsed = parseMagnet(formatMagnet(value));
        expect(parsed).toEqual(value);
        // And formatting is stable: the text form is canonical.
        expect(formatMagnet(parsed)).toBe(formatMagnet(value));
      }),
      { numRuns: 300 },
    );
  });

  const parameters = fc
    .array(fc.tuple(fc.constantFrom('xt', 'dn', 'tr', 'ws', 'x.pe', 'so', 'xl', 'xt.1'), fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('urn:btih:', 'urn:btmh:1220', `urn:btih:${V1}`))), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

  it('only ever throws MetainfoError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), parameters), (tail) => {
        try {
          parseMagnet(`magnet:?${tail}`);
        } catch (error) {
          expect(error).toBeInstanceOf(MetainfoError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
