import { encode, type Encodable } from '@gtorr/bencode';
import { WireError, WireErrorCode } from '../errors.js';
import { decodeDictionary } from '../internal/bencode.js';
import { formatIp, parseIp } from '../internal/ip.js';

/** The extension name BEP 11 registers in the extended handshake's `m`. */
export const UT_PEX = 'ut_pex';

/** BEP 11 `added.f` flag bits. */
export const PexFlag = {
  /** Prefers encryption (the `e` field of its extended handshake). */
  ENCRYPTION: 0x01,
  /** A seed, or upload only. */
  SEED: 0x02,
  /** Supports uTP. */
  UTP: 0x04,
  /** Supports ut_holepunch. */
  HOLEPUNCH: 0x08,
  /** We connected out to it: it is reachable. */
  REACHABLE: 0x10,
} as const;

export interface PexAddress {
  /** Dotted IPv4, or IPv6 in RFC 5952 form. */
  readonly host: string;
  readonly port: number;
}

export interface PexPeer extends PexAddress {
  /** `PexFlag` bits; 0 when the sender gave none. */
  readonly flags: number;
}

/** A ut_pex message, IPv4 and IPv6 contacts together. */
export interface PexMessage {
  readonly added: readonly PexPeer[];
  readonly dropped: readonly PexAddress[];
}

function compact(peers: readonly PexAddress[], size: 6 | 18): Uint8Array {
  const out = new Uint8Array(peers.length * size);
  peers.forEach((peer, i) => {
    const ip = parseIp(peer.host)!;
    if (!Number.isInteger(peer.port) || peer.port < 0 || peer.port > 65535) throw new RangeError(`wire: port of ${peer.host} must be in [0, 65535]`);
    out.set(ip, i * size);
    out[i * size + size - 2] = peer.port >> 8;
    out[i * size + size - 1] = peer.port & 0xff;
  });
  return out;
}

function family(peer: PexAddress): 4 | 6 {
  const ip = parseIp(peer.host);
  if (ip === undefined) throw new TypeError(`wire: ${JSON.stringify(peer.host)} is not an IP address`);
  return ip.length === 4 ? 4 : 6;
}

/** The bencoded payload of a ut_pex message; fields with no contacts are left out. */
export function encodePexMessage(message: PexMessage): Uint8Array {
  const added4 = message.added.filter((p) => family(p) === 4);
  const added6 = message.added.filter((p) => family(p) === 6);
  const dropped4 = message.dropped.filter((p) => family(p) === 4);
  const dropped6 = message.dropped.filter((p) => family(p) === 6);
  const dict: Record<string, Encodable> = {};
  if (added4.length) {
    dict.added = compact(added4, 6);
    dict['added.f'] = Uint8Array.from(added4, (p) => p.flags & 0xff);
  }
  if (added6.length) {
    dict.added6 = compact(added6, 18);
    dict['added6.f'] = Uint8Array.from(added6, (p) => p.flags & 0xff);
  }
  if (dropped4.length) dict.dropped = compact(dropped4, 6);
  if (dropped6.length) dict.dropped6 = compact(dropped6, 18);
  return encode(dict);
}

function contacts(value: unknown, size: 6 | 18, key: string, flags?: unknown): PexPeer[] {
  if (value === undefined) return [];
  if (!(value instanceof Uint8Array) || value.length % size !== 0) {
    throw new WireError(WireErrorCode.BAD_PEX, `ut_pex ${key} is not a whole number of ${size}-byte contacts`);
  }
  // Lenient: a missing or short flags string gives 0 for the peers it does not cover.
  const f = flags instanceof Uint8Array ? flags : undefined;
  const out: PexPeer[] = [];
  for (let at = 0, i = 0; at < value.length; at += size, i++) {
    out.push({ host: formatIp(value.subarray(at, at + size - 2)), port: (value[at + size - 2]! << 8) | value[at + size - 1]!, flags: f?.[i] ?? 0 });
  }
  return out;
}

/**
 * Decodes a ut_pex payload. Throws WIRE_BAD_PEX when it is not a bencoded dictionary or a
 * contact list is not a whole number of 6 (IPv4) or 18 (IPv6) byte entries. `dropped` holds
 * IPv4 contacts, whatever the BEP's table says about IPv6 (a known typo in BEP 11).
 */
export function decodePexMessage(payload: Uint8Array): PexMessage {
  const value = decodeDictionary(payload, WireErrorCode.BAD_PEX, 'ut_pex message');
  const added = [...contacts(value.added, 6, 'added', value['added.f']), ...contacts(value.added6, 18, 'added6', value['added6.f'])];
  const dropped = [...contacts(value.dropped, 6, 'dropped'), ...contacts(value.dropped6, 18, 'dropped6')].map(({ host, port }) => ({ host, port }));
  return { added, dropped };
}
