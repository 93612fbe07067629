import { isDictionary, keyBytes, text } from '@gtorr/bencode';
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import type { ScrapeFile, ScrapeResponse } from '../types.js';
import { decodeTrackerDictionary, type ParseOptions } from './announce-response.js';

function count(value: unknown): number {
  return typeof value === 'number' && value >= 0 ? value : 0;
}

/**
 * Parses a scrape response body (BEP 48): `files` maps each 20-byte info hash to its counts.
 * Keys that are not 20 bytes are skipped; a missing or ill-typed count reads as 0.
 * Throws `TrackerError`: `TRACKER_FAILURE`, `TRACKER_BAD_RESPONSE`.
 */
export function parseScrapeResponse(body: Uint8Array, options: ParseOptions = {}): ScrapeResponse {
  const dictionary = decodeTrackerDictionary(body, options);
  const files = dictionary.files;
  if (!isDictionary(files)) throw new TrackerError(Code.BAD_RESPONSE, "scrape response has no 'files' dictionary", { url: options.url });
  const result: ScrapeFile[] = [];
  for (const [key, entry] of Object.entries(files)) {
    // Info hashes are binary keys: keyBytes gives back their exact bytes.
    const infoHash = keyBytes(files, key);
    if (infoHash.length !== 20 || !isDictionary(entry)) continue;
    const name = text(entry.name);
    const file: ScrapeFile = { infoHash, complete: count(entry.complete), incomplete: count(entry.incomplete), downloaded: count(entry.downloaded) };
    result.push(name === undefined ? file : { ...file, name });
  }
  const flags = dictionary.flags;
  const minRequestInterval = isDictionary(flags) && typeof flags.min_request_interval === 'number' && flags.min_request_interval >= 0 ? flags.min_request_interval : undefined;
  return { files: result, minRequestInterval };
}
