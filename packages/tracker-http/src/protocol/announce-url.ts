import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import { checkCount, checkHash, checkPort } from '../internal/check.js';
import { percentEncode } from '../internal/percent.js';
import type { AnnounceRequest } from '../types.js';

const utf8 = new TextEncoder();

/**
 * Splits an http(s) tracker URL into the part before its query, and its query (without `?`),
 * dropping any fragment. The URL is kept as written: a parsed-and-reprinted URL could change
 * the bytes of an existing query (a private tracker's passkey) that the tracker checks.
 */
export function splitTrackerUrl(url: string): { base: string; query: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TrackerError(Code.BAD_URL, 'not a URL', { url, cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TrackerError(Code.BAD_URL, `unsupported scheme ${parsed.protocol}`, { url });
  const hash = url.indexOf('#');
  const clean = hash >= 0 ? url.slice(0, hash) : url;
  const q = clean.indexOf('?');
  return q >= 0 ? { base: clean.slice(0, q), query: clean.slice(q + 1) } : { base: clean, query: undefined };
}

/** Appends `params` (already encoded) to a URL's existing query, if it has one. */
export function joinQuery(base: string, query: string | undefined, params: string): string {
  if (query === undefined || query === '') return `${base}?${params}`;
  return `${base}?${query}${query.endsWith('&') ? '' : '&'}${params}`;
}

/**
 * The GET URL of an announce (BEP 3, BEP 23): `announceUrl` with every parameter appended
 * to any query it already has. `info_hash` and `peer_id` are percent-encoded as raw bytes.
 * Throws `TypeError`/`RangeError` on a bad request, `TrackerError` (`TRACKER_BAD_URL`) on a
 * URL that is not http(s).
 */
export function buildAnnounceUrl(announceUrl: string, request: AnnounceRequest): string {
  checkHash(request.infoHash, 'infoHash');
  checkHash(request.peerId, 'peerId');
  checkPort(request.port);
  checkCount(request.uploaded, 'uploaded');
  checkCount(request.downloaded, 'downloaded');
  checkCount(request.left, 'left');
  const params = [
    `info_hash=${percentEncode(request.infoHash)}`,
    `peer_id=${percentEncode(request.peerId)}`,
    `port=${request.port}`,
    `uploaded=${request.uploaded}`,
    `downloaded=${request.downloaded}`,
    `left=${request.left}`,
    `compact=${request.compact === false ? 0 : 1}`,
  ];
  if (request.event !== undefined) {
    if (request.event !== 'started' && request.event !== 'completed' && request.event !== 'stopped') throw new RangeError(`unknown event ${String(request.event)}`);
    params.push(`event=${request.event}`);
  }
  if (request.numwant !== undefined) {
    checkCount(request.numwant, 'numwant');
    params.push(`numwant=${request.numwant}`);
  }
  if (request.key !== undefined) {
    if (!Number.isInteger(request.key) || request.key < 0 || request.key > 0xffffffff) throw new RangeError('key must be a 32-bit unsigned integer');
    params.push(`key=${request.key.toString(16).toUpperCase().padStart(8, '0')}`);
  }
  if (request.trackerId !== undefined) {
    const id = typeof request.trackerId === 'string' ? utf8.encode(request.trackerId) : request.trackerId;
    params.push(`trackerid=${percentEncode(id)}`);
  }
  if (request.ip !== undefined) params.push(`ip=${percentEncode(utf8.encode(request.ip))}`);
  const { base, query } = splitTrackerUrl(announceUrl);
  return joinQuery(base, query, params.join('&'));
}
