import { decodeFirst, isDictionary, text, type BencodeDictionary, type BencodeValue } from '@gtorr/bencode';
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import { formatIPv4, formatIPv6 } from '../internal/ip.js';
import type { AnnounceResponse, Peer } from '../types.js';
import { decodeCompactPeers } from './compact-peers.js';

/** The interval BEP 3 trackers must send; used when one leaves it out (libtorrent does the same). */
export const DEFAULT_INTERVAL = 1800;

// Tracker responses are a flat dictionary holding at most a list of small dictionaries:
// anything deeper is hostile, and refusing it early keeps the decoder's work small.
const MAX_DEPTH = 8;

/** Options that only add context to errors. */
export interface ParseOptions {
  /** Put in every `TrackerError` thrown, for the caller's logs. */
  readonly url?: string;
}

/**
 * Decodes a tracker's bencoded top-level dictionary. Lenient where real trackers differ
 * harmlessly: keys out of order and bytes after the dictionary (a trailing newline) are
 * accepted. Throws `TRACKER_BAD_RESPONSE` for anything that is not a dictionary, and
 * `TRACKER_FAILURE` (with `failureReason` and BEP 31 `retryIn`) when the tracker refused.
 */
export function decodeTrackerDictionary(body: Uint8Array, options: ParseOptions = {}): BencodeDictionary {
  let value: BencodeValue;
  try {
    value = decodeFirst(body, { allowUnsortedKeys: true, maxDepth: MAX_DEPTH }).value;
  } catch (error) {
    throw new TrackerError(Code.BAD_RESPONSE, 'tracker response is not bencode', { url: options.url, cause: error });
  }
  if (!isDictionary(value)) throw new TrackerError(Code.BAD_RESPONSE, 'tracker response is not a dictionary', { url: options.url });
  const failure = value['failure reason'];
  if (failure !== undefined) {
    const reason = text(failure) ?? '(failure reason of the wrong type)';
    const retryIn = readRetryIn(value['retry in']);
    throw new TrackerError(Code.FAILURE, `tracker refused: ${reason}`, { url: options.url, failureReason: reason, retryIn, retryable: retryIn !== 'never' });
  }
  return value;
}

function readRetryIn(value: BencodeValue | undefined): number | 'never' | undefined {
  if (typeof value === 'number' && value >= 0) return value;
  return text(value) === 'never' ? 'never' : undefined;
}

/** A non-negative safe integer, or `undefined` for anything else (used for informational fields). */
function count(value: BencodeValue | undefined): number | undefined {
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

function requiredCount(dictionary: BencodeDictionary, key: string, url: string | undefined): number | undefined {
  const value = dictionary[key];
  if (value === undefined) return undefined;
  const n = count(value);
  if (n === undefined) throw new TrackerError(Code.BAD_RESPONSE, `'${key}' is not a non-negative integer`, { url });
  return n;
}

function badPeers(message: string, url: string | undefined): TrackerError {
  return new TrackerError(Code.BAD_PEERS, message, { url });
}

function readDictionaryPeers(list: BencodeValue[], url: string | undefined): Peer[] {
  const peers: Peer[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isDictionary(entry)) throw badPeers(`peers[${i}] is not a dictionary`, url);
    const host = text(entry.ip);
    const port = entry.port;
    if (host === undefined || host === '' || typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw badPeers(`peers[${i}] has no valid ip and port`, url);
    }
    if (port === 0) continue;
    const id = entry['peer id'];
    peers.push(id instanceof Uint8Array ? { host, port, peerId: id.slice() } : { host, port });
  }
  return peers;
}

function readPeers(value: BencodeValue | undefined, family: 4 | 6, url: string | undefined): Peer[] {
  if (value === undefined) return [];
  const key = family === 4 ? 'peers' : 'peers6';
  if (value instanceof Uint8Array) {
    const peers = decodeCompactPeers(value, family);
    if (peers === undefined) throw badPeers(`compact '${key}' of ${value.length} bytes is not a multiple of ${family === 4 ? 6 : 18}`, url);
    return peers;
  }
  if (Array.isArray(value) && family === 4) return readDictionaryPeers(value, url);
  throw badPeers(`'${key}' is neither a compact string nor a list`, url);
}

function readExternalIp(value: BencodeValue | undefined): string | undefined {
  if (!(value instanceof Uint8Array)) return undefined;
  if (value.length === 4) return formatIPv4(value);
  if (value.length === 16) return formatIPv6(value);
  return undefined;
}

/**
 * Parses an announce response body (BEP 3; compact `peers`, BEP 23; `peers6`, BEP 7;
 * `external ip`, BEP 24). Strict about what drives behaviour (the interval, the peer lists),
 * lenient about what only informs (counts of the wrong type read as `undefined`).
 * Throws `TrackerError`: `TRACKER_FAILURE`, `TRACKER_BAD_RESPONSE`, `TRACKER_BAD_PEERS`.
 * Peer ids are fresh copies.
 */
export function parseAnnounceResponse(body: Uint8Array, options: ParseOptions = {}): AnnounceResponse {
  const { url } = options;
  const dictionary = decodeTrackerDictionary(body, options);
  const warning = text(dictionary['warning message']);
  const trackerId = dictionary['tracker id'];
  return {
    interval: requiredCount(dictionary, 'interval', url) ?? DEFAULT_INTERVAL,
    minInterval: requiredCount(dictionary, 'min interval', url),
    trackerId: trackerId instanceof Uint8Array && trackerId.length > 0 ? trackerId.slice() : undefined,
    complete: count(dictionary.complete),
    incomplete: count(dictionary.incomplete),
    warningMessage: warning,
    externalIp: readExternalIp(dictionary['external ip']),
    peers: [...readPeers(dictionary.peers, 4, url), ...readPeers(dictionary.peers6, 6, url)],
  };
}
