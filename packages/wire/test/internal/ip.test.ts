import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatIp, parseIp, unmapIpv4 } from '../../src/internal/ip.js';

describe('ip', () => {
  it.each([
    ['1.2.3.4', [1, 2, 3, 4]],
    ['::1', [...new Array(15).fill(0), 1]],
    ['::', new Array(16).fill(0)],
    ['2001:db8::ff00:42:8329', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42, 0x83, 0x29]],
    ['::ffff:10.0.0.1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]],
    ['1:2:3:4:5:6:7.8.9.10', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 7, 8, 9, 10]],
    ['fe80::', [0xfe, 0x80, ...new Array(14).fill(0)]],
  ])('parses %s', (text, bytes) => {
    expect([...parseIp(text)!]).toEqual(bytes);
  });

  it('formats IPv6 in RFC 5952 form', () => {
    expect(formatIp(parseIp('2001:0db8:0000:0000:0000:ff00:0042:8329')!)).toBe('2001:db8::ff00:42:8329');
    expect(formatIp(parseIp('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIp(parseIp('1:0:0:2:0:0:0:3')!)).toBe('1:0:0:2::3');
  });

  it('round-trips any 16 bytes through text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIp(bytes);
        expect(isIPv6(text)).toBe(true);
        expect(parseIp(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects names and zoned addresses, and unmaps IPv4-mapped IPv6 only', () => {
    expect(parseIp('example.org')).toBeUndefined();
    expect(parseIp('fe80::1%eth0')).toBeUndefined();
    expect([...unmapIpv4(parseIp('::ffff:1.2.3.4')!)!]).toEqual([1, 2, 3, 4]);
    expect(unmapIpv4(parseIp('::1.2.3.4')!)).toBeUndefined();
  });
});
