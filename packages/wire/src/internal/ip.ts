// Textual IP addresses to and from their 4 or 16 network-order bytes, for compact peer
// lists (BEP 11) and the allowed-fast set (BEP 6). node:net validates; the byte work is ours
// because Node has no public API that yields an address's bytes.
import { isIPv4, isIPv6 } from 'node:net';

function parseV4(host: string, out: Uint8Array, at: number): void {
  const parts = host.split('.');
  for (let i = 0; i < 4; i++) out[at + i] = Number(parts[i]);
}

/** The bytes of an IPv4 (4 bytes) or IPv6 (16 bytes) address; `undefined` for anything else (zones included). */
export function parseIp(host: string): Uint8Array | undefined {
  if (isIPv4(host)) {
    const out = new Uint8Array(4);
    parseV4(host, out, 0);
    return out;
  }
  if (!isIPv6(host) || host.includes('%')) return undefined;
  const out = new Uint8Array(16);
  let text = host;
  let tail = 16;
  // An embedded dotted quad fills the last 4 bytes; the groups before it end at byte 12.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    parseV4(text.slice(lastColon + 1), out, 12);
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
    tail = 12;
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  headGroups.forEach((group, i) => writeGroup(out, i * 2, group));
  const restStart = tail - restGroups.length * 2;
  restGroups.forEach((group, i) => writeGroup(out, restStart + i * 2, group));
  return out;
}

function writeGroup(out: Uint8Array, at: number, group: string): void {
  const value = parseInt(group, 16);
  out[at] = value >> 8;
  out[at + 1] = value & 0xff;
}

/** An IPv4 address as dotted quad, an IPv6 address in RFC 5952 form (longest zero run as `::`). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1; // RFC 5952: a single zero group is not shortened
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
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The IPv4 bytes inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), as a view. */
export function unmapIpv4(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length === 4) return bytes;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return undefined;
  return bytes[10] === 0xff && bytes[11] === 0xff ? bytes.subarray(12) : undefined;
}
