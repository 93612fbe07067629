// Compact peer addresses as text and back. IPv6 text is canonicalised by WHATWG URL host
// parsing (RFC 5952 compression) rather than by hand.
import { isIPv4, isIPv6 } from 'node:net';

export function formatAddress(bytes: Uint8Array, offset: number, length: 4 | 16): string {
  if (length === 4) return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[offset + i]! << 8) | bytes[offset + i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** The bytes of an IPv4 (4) or IPv6 (16) address, or `undefined` for other text. */
export function addressBytes(text: string): Uint8Array | undefined {
  if (isIPv4(text)) return Uint8Array.from(text.split('.'), Number);
  if (!isIPv6(text)) return undefined;
  // URL parsing turns any IPv6 form (a dotted tail included) into hex groups around one '::'.
  const canonical = new URL(`http://[${text.split('%')[0]}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
