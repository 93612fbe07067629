import { MetainfoError, MetainfoErrorCode as Code } from './errors.js';
import { hexToBytes, parseInfoHash, toHex } from './info-hash.js';
import type { InfoHashes } from './types.js';

/** A BEP 53 file selection: file indices `start` to `end`, both included. */
export interface FileRange {
  readonly start: number;
  readonly end: number;
}

/** What a magnet link says (BEP 9, BEP 53). */
export interface MagnetLink {
  /** `xt=urn:btih:` (v1) and/or `xt=urn:btmh:1220...` (v2); at least one is present. */
  readonly infoHash: InfoHashes;
  /** `dn`: the display name, decoded. */
  readonly name?: string;
  /** `xl`: the exact length in bytes. */
  readonly length?: number;
  /** `tr`: tracker URLs, in order, without duplicates. */
  readonly trackers: readonly string[];
  /** `ws`: web seed URLs (BEP 19). */
  readonly webSeeds: readonly string[];
  /** `x.pe`: peer addresses as `host:port` (`[v6]:port` for IPv6). */
  readonly peers: readonly string[];
  /** `so` (BEP 53): the files to download, as index ranges. */
  readonly selectOnly?: readonly FileRange[];
}

/** What `formatMagnet` takes: a `MagnetLink` whose lists may be left out. */
export type MagnetLinkInput = Pick<MagnetLink, 'infoHash' | 'name' | 'length' | 'selectOnly'> & Partial<Pick<MagnetLink, 'trackers' | 'webSeeds' | 'peers'>>;

const PARAMETER = /^(xt|dn|xl|tr|ws|x\.pe|so)(?:\.\d+)?$/;
const PEER = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]/]+):(\d{1,5})$/;
const RANGES = /^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/;
// BEP 52 magnet links name v2 torrents by multihash: 0x12 (SHA2-256), 0x20 (32 bytes).
const SHA256_MULTIHASH = '1220';

function bad(message: string): never {
  throw new MetainfoError(Code.BAD_MAGNET, message);
}

/**
 * Reads a magnet link. Unknown parameters are ignored; a link without a BitTorrent info
 * hash, with two different ones of a kind, or with a malformed known parameter is refused
 * with `METAINFO_BAD_MAGNET` (or `METAINFO_BAD_INFO_HASH` for a malformed hash).
 *
 * @example
 * parseMagnet('magnet:?xt=urn:btih:c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd&dn=Sintel&tr=udp%3A%2F%2F127.0.0.1%3A6969');
 */
export function parseMagnet(uri: string): MagnetLink {
  if (typeof uri !== 'string') throw new TypeError('metainfo: parseMagnet() takes a string');
  const match = /^magnet:\?(.*)$/is.exec(uri.trim());
  if (!match) bad('not a magnet link (expected magnet:?...)');
  let v1: Uint8Array | null = null;
  let v2: Uint8Array | null = null;
  let name: string | undefined;
  let length: number | undefined;
  let selectOnly: FileRange[] | undefined;
  const trackers = new Set<string>();
  const webSeeds = new Set<string>();
  const peers = new Set<string>();
  for (const part of match[1]!.split('&')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    const key = PARAMETER.exec(percentDecode(part.slice(0, equals)).toLowerCase())?.[1];
    if (key === undefined) continue;
    const value = percentDecode(part.slice(equals + 1));
    switch (key) {
      case 'xt': {
        const hash = readExactTopic(value);
        if (hash === undefined) break;
        if (hash.v1) {
          if (v1 && toHex(v1) !== toHex(hash.v1)) bad('two different v1 info hashes');
          v1 = hash.v1;
        } else if (hash.v2) {
          if (v2 && toHex(v2) !== toHex(hash.v2)) bad('two different v2 info hashes');
          v2 = hash.v2;
        }
        break;
      }
      case 'dn':
        name = value;
        break;
      case 'xl':
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) bad(`xl is not a length: ${JSON.stringify(value)}`);
        length = Number(value);
        break;
      case 'tr':
        if (value.trim()) trackers.add(value.trim());
        break;
      case 'ws':
        if (value.trim()) webSeeds.add(value.trim());
        break;
      case 'x.pe':
        if (!isPeerAddress(value)) bad(`x.pe is not host:port: ${JSON.stringify(value)}`);
        peers.add(value);
        break;
      case 'so':
        selectOnly = [...(selectOnly ?? []), ...readRanges(value)];
        break;
    }
  }
  if (!v1 && !v2) bad('no BitTorrent info hash (xt=urn:btih: or xt=urn:btmh:)');
  return {
    infoHash: { v1, v2 },
    ...(name === undefined ? {} : { name }),
    ...(length === undefined ? {} : { length }),
    trackers: [...trackers],
    webSeeds: [...webSeeds],
    peers: [...peers],
    ...(selectOnly === undefined ? {} : { selectOnly }),
  };
}

/**
 * Writes a magnet link: `xt` (v1 hex, then v2 multihash), `dn`, `xl`, `tr`, `ws`, `x.pe`,
 * `so`, every value percent-encoded. `parseMagnet(formatMagnet(link))` gives `link` back.
 */
export function formatMagnet(link: MagnetLinkInput): string {
  const { v1, v2 } = link.infoHash;
  if (!v1 && !v2) throw new TypeError('metainfo: a magnet link needs a v1 or a v2 info hash');
  if (v1 && v1.length !== 20) throw new RangeError('metainfo: a v1 info hash is 20 bytes');
  if (v2 && v2.length !== 32) throw new RangeError('metainfo: a v2 info hash is 32 bytes');
  const parts: string[] = [];
  if (v1) parts.push(`xt=urn:btih:${toHex(v1)}`);
  if (v2) parts.push(`xt=urn:btmh:${SHA256_MULTIHASH}${toHex(v2)}`);
  if (link.name !== undefined) parts.push(`dn=${percentEncode(link.name)}`);
  if (link.length !== undefined) parts.push(`xl=${link.length}`);
  for (const url of link.trackers ?? []) parts.push(`tr=${percentEncode(url)}`);
  for (const url of link.webSeeds ?? []) parts.push(`ws=${percentEncode(url)}`);
  for (const peer of link.peers ?? []) parts.push(`x.pe=${percentEncode(peer)}`);
  if (link.selectOnly && link.selectOnly.length > 0) {
    parts.push(`so=${link.selectOnly.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(',')}`);
  }
  return `magnet:?${parts.join('&')}`;
}

/** The info hash in an `xt` value, or `undefined` for a URN of another network. */
function readExactTopic(value: string): InfoHashes | undefined {
  const urn = /^urn:(btih|btmh):(.*)$/i.exec(value);
  if (!urn) return undefined;
  const hash = urn[2]!;
  if (urn[1]!.toLowerCase() === 'btih') {
    const parsed = hash.length === 40 || hash.length === 32 ? parseInfoHash(hash) : undefined;
    if (!parsed?.v1) throw new MetainfoError(Code.BAD_INFO_HASH, `urn:btih: takes 40 hex or 32 base32 characters, got ${hash.length}`);
    return parsed;
  }
  const bytes = hash.length === 68 && hash.toLowerCase().startsWith(SHA256_MULTIHASH) ? hexToBytes(hash.slice(4)) : undefined;
  if (!bytes) throw new MetainfoError(Code.BAD_INFO_HASH, 'urn:btmh: takes a SHA-256 multihash (1220 and 64 hex characters)');
  return { v1: null, v2: bytes };
}

function isPeerAddress(value: string): boolean {
  const port = PEER.exec(value)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
}

function readRanges(value: string): FileRange[] {
  if (!RANGES.test(value)) bad(`so is not a list of file indices and ranges: ${JSON.stringify(value)}`);
  return value.split(',').map((item) => {
    const [first, last = first] = item.split('-') as [string, string?];
    const range = { start: Number(first), end: Number(last) };
    if (!Number.isSafeInteger(range.end) || range.start > range.end) bad(`so has a bad range: ${item}`);
    return range;
  });
}

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

// Query values as browsers and most clients write them: %XX escapes of UTF-8 bytes, "+" for
// a space. Bytes that are not UTF-8 become U+FFFD rather than failing the whole link.
function percentDecode(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    // A bad escape or bytes that are not UTF-8: go byte by byte to tell which.
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) bad(`bad percent escape at ${JSON.stringify(text.slice(i, i + 3))}`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (char === '+') {
      bytes.push(0x20);
    } else {
      for (const b of utf8Encoder.encode(char)) bytes.push(b);
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}

function percentEncode(text: string): string {
  let out = '';
  for (const b of utf8Encoder.encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
