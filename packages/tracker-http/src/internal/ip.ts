// IP addresses as the compact peer formats carry them (BEP 23: 4 bytes, BEP 7: 16 bytes)
// and as text. `node:net` validates text but has no byte conversion, so these are here.
import { isIPv4, isIPv6 } from 'node:net';

/** `a.b.c.d` from 4 bytes at `offset`. */
export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** The RFC 5952 text of 16 bytes at `offset`: lower-case, zeros compressed (`::1`). */
export function formatIPv6(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[offset + i]! << 8) | bytes[offset + i + 1]!);
  // The longest run of two or more zero groups becomes '::' (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** 4 bytes of an IPv4 address, or `undefined` when `text` is not one. */
export function parseIPv4(text: string): Uint8Array | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.'), Number);
}

/** 16 bytes of an IPv6 address (an embedded IPv4 tail included), or `undefined`. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  let address = zone >= 0 ? text.slice(0, zone) : text;
  if (!isIPv6(address)) return undefined;
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    // Rewrite a dotted IPv4 tail as its two hex groups, then parse as usual.
    const v4 = parseIPv4(address.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    address = `${address.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const halves = address.split('::');
  const left = parse(halves[0] ?? '');
  const right = halves.length > 1 ? parse(halves[1] ?? '') : undefined;
  const groups = right === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as dual-stack sockets report) as plain IPv4 text. */
export function unmapIPv4(text: string): string {
  const lower = text.toLowerCase();
  return lower.startsWith('::ffff:') && isIPv4(lower.slice(7)) ? lower.slice(7) : text;
}
