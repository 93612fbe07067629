import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPeerAddress, normalizeHost, parsePeerAddress } from '../../src/peers/peer-address.js';

describe('peer addresses', () => {
  it.each([
    { text: '1.2.3.4:6881', key: '1.2.3.4:6881' },
    { text: ' 10.0.0.1:1 ', key: '10.0.0.1:1' },
    { text: '[::1]:6881', key: '[::1]:6881' },
    { text: '[0:0:0:0:0:0:0:1]:6881', key: '[::1]:6881' },
    { text: '[2001:DB8::A]:51413', key: '[2001:db8::a]:51413' },
    { text: '[::ffff:1.2.3.4]:80', key: '1.2.3.4:80' },
    { text: '[::ffff:102:304]:80', key: '1.2.3.4:80' },
    { text: 'Seed.Example.org:6881', key: 'seed.example.org:6881' },
  ])('reads $text as $key', ({ text, key }) => {
    const parsed = parsePeerAddress(text);
    expect(parsed).toBeDefined();
    expect(formatPeerAddress(parsed!)).toBe(key);
  });

  it.each(['1.2.3.4', '1.2.3.4:0', '1.2.3.4:65536', '1.2.3.4:-1', '::1:6881', '[::1]6881', '[::1]:', 'bad host:1', ':6881', '1.2.3.4:6881x', '999.1.1.1.1:5'])(
    'refuses %s',
    (text) => {
      expect(parsePeerAddress(text)).toBeUndefined();
    },
  );

  it('normalizes any IPv4 address to itself and round-trips it (fast-check)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (ip, port) => {
        expect(normalizeHost(ip)).toBe(ip);
        expect(formatPeerAddress(parsePeerAddress(`${ip}:${port}`)!)).toBe(`${ip}:${port}`);
      }),
    );
  });

  it('gives every spelling of an IPv6 address one key (fast-check)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const once = normalizeHost(ip);
        expect(once).toBeDefined();
        expect(normalizeHost(once!)).toBe(once);
        expect(normalizeHost(ip.toUpperCase())).toBe(once);
      }),
    );
  });
});
