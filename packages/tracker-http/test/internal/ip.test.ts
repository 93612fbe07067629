import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatIPv6, parseIPv4, parseIPv6, unmapIPv4 } from '../../src/internal/ip.js';

describe('IP text <-> bytes', () => {
  it.each([
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('%s reads and prints back as %s', (text, printed) => {
    expect(formatIPv6(parseIPv6(text)!)).toBe(printed);
  });

  it('round-trips any 16 bytes through text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const text = formatIPv6(b);
        expect(isIPv6(text)).toBe(true);
        expect(parseIPv6(text)).toEqual(b);
      }),
    );
  });

  it('refuses what is not an address, and unmaps IPv4-mapped addresses', () => {
    expect(parseIPv6('1.2.3.4')).toBeUndefined();
    expect(parseIPv6('::g')).toBeUndefined();
    expect(parseIPv4('256.1.1.1')).toBeUndefined();
    expect(parseIPv4('10.0.0.255')).toEqual(Uint8Array.of(10, 0, 0, 255));
    expect(unmapIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapIPv4('::1')).toBe('::1');
  });
});
