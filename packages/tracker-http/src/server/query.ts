import { percentDecode } from '../internal/percent.js';
import type { AnnounceEvent, AnnounceRequest } from '../types.js';

/** A request the tracker refuses, with the `failure reason` it sends back. */
export class RefusedRequest extends Error {
  override readonly name = 'RefusedRequest';
}

const latin1 = new TextDecoder('latin1');

/**
 * Splits a raw query string into parameters whose values are the raw bytes they encode.
 * `URLSearchParams` cannot be used: it decodes values as UTF-8 and mangles binary hashes.
 */
export function parseQuery(query: string, maxParameters: number): Map<string, Uint8Array[]> {
  const params = new Map<string, Uint8Array[]>();
  if (query === '') return params;
  const parts = query.split('&');
  if (parts.length > maxParameters) throw new RefusedRequest('too many query parameters');
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = percentDecode(eq >= 0 ? part.slice(0, eq) : part);
    const value = percentDecode(eq >= 0 ? part.slice(eq + 1) : '');
    if (key === undefined || value === undefined) throw new RefusedRequest('malformed percent-encoding in query');
    const name = latin1.decode(key);
    const list = params.get(name);
    if (list === undefined) params.set(name, [value]);
    else list.push(value);
  }
  return params;
}

/** An announce as the tracker server reads it from a query. */
export interface AnnounceQuery extends Pick<AnnounceRequest, 'infoHash' | 'peerId' | 'port' | 'uploaded' | 'downloaded' | 'left'> {
  readonly event: AnnounceEvent | undefined;
  readonly numwant: number | undefined;
  readonly compact: boolean;
  readonly noPeerId: boolean;
  readonly ip: string | undefined;
}

function one(params: Map<string, Uint8Array[]>, key: string): Uint8Array | undefined {
  const values = params.get(key);
  if (values !== undefined && values.length > 1) throw new RefusedRequest(`parameter ${key} given more than once`);
  return values?.[0];
}

function hash(params: Map<string, Uint8Array[]>, key: string): Uint8Array {
  const value = one(params, key);
  if (value === undefined) throw new RefusedRequest(`missing ${key}`);
  if (value.length !== 20) throw new RefusedRequest(`${key} must be 20 bytes, got ${value.length}`);
  return value;
}

// Digits only, and at most 16 of them (2^53 has 16 digits): no signs, exponents or spaces.
const DIGITS = /^\d{1,16}$/;

function integer(params: Map<string, Uint8Array[]>, key: string, required: boolean): number | undefined {
  const value = one(params, key);
  if (value === undefined) {
    if (required) throw new RefusedRequest(`missing ${key}`);
    return undefined;
  }
  const text = latin1.decode(value);
  const n = Number(text);
  if (!DIGITS.test(text) || !Number.isSafeInteger(n)) throw new RefusedRequest(`${key} must be a non-negative integer`);
  return n;
}

/** Reads an announce query (BEP 3). Throws `RefusedRequest` with the reason for a malformed one. */
export function readAnnounceQuery(params: Map<string, Uint8Array[]>): AnnounceQuery {
  const infoHash = hash(params, 'info_hash');
  const peerId = hash(params, 'peer_id');
  const port = integer(params, 'port', true)!;
  if (port < 1 || port > 65535) throw new RefusedRequest('port must be from 1 to 65535');
  const eventBytes = one(params, 'event');
  const eventText = eventBytes === undefined ? '' : latin1.decode(eventBytes);
  // 'empty' is what some clients send for a regular announce.
  if (eventText !== '' && eventText !== 'empty' && eventText !== 'started' && eventText !== 'completed' && eventText !== 'stopped') {
    throw new RefusedRequest(`unknown event ${JSON.stringify(eventText.slice(0, 32))}`);
  }
  const ip = one(params, 'ip');
  return {
    infoHash,
    peerId,
    port,
    uploaded: integer(params, 'uploaded', false) ?? 0,
    downloaded: integer(params, 'downloaded', false) ?? 0,
    left: integer(params, 'left', true)!,
    event: eventText === '' || eventText === 'empty' ? undefined : eventText,
    numwant: integer(params, 'numwant', false),
    compact: latin1.decode(one(params, 'compact') ?? new Uint8Array()) !== '0',
    noPeerId: latin1.decode(one(params, 'no_peer_id') ?? new Uint8Array()) === '1',
    ip: ip === undefined ? undefined : latin1.decode(ip),
  };
}

/** The info hashes of a scrape query (BEP 48), each 20 bytes. */
export function readScrapeQuery(params: Map<string, Uint8Array[]>, maxHashes: number): Uint8Array[] {
  const hashes = params.get('info_hash') ?? [];
  if (hashes.length === 0) throw new RefusedRequest('scrape needs info_hash (a full scrape is not served)');
  if (hashes.length > maxHashes) throw new RefusedRequest(`at most ${maxHashes} info hashes per scrape`);
  for (const h of hashes) if (h.length !== 20) throw new RefusedRequest(`info_hash must be 20 bytes, got ${h.length}`);
  return hashes;
}
