import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import { checkHash } from '../internal/check.js';
import { percentEncode } from '../internal/percent.js';
import { joinQuery, splitTrackerUrl } from './announce-url.js';

/**
 * The scrape URL of an announce URL (BEP 48 and the long-standing convention before it):
 * the last path segment must start with `announce`, which becomes `scrape`
 * (`/x/announce.php?k=1` -> `/x/scrape.php?k=1`). Anything else has no scrape URL and
 * throws `TrackerError` with code `TRACKER_SCRAPE_UNSUPPORTED`. Only the path is looked
 * at, so a `/` inside the query does not matter; the match is case-sensitive.
 */
export function toScrapeUrl(announceUrl: string): string {
  const { base, query } = splitTrackerUrl(announceUrl);
  const authorityEnd = base.indexOf('/', base.indexOf('//') + 2);
  const slash = base.lastIndexOf('/');
  if (authorityEnd < 0 || slash < authorityEnd) throw new TrackerError(Code.SCRAPE_UNSUPPORTED, 'announce URL has no path to turn into a scrape URL', { url: announceUrl });
  const segment = base.slice(slash + 1);
  if (!segment.startsWith('announce')) throw new TrackerError(Code.SCRAPE_UNSUPPORTED, "last path segment does not start with 'announce'", { url: announceUrl });
  const scrapeBase = `${base.slice(0, slash + 1)}scrape${segment.slice('announce'.length)}`;
  return query === undefined ? scrapeBase : `${scrapeBase}?${query}`;
}

/** The GET URL of a scrape of `infoHashes` (one `info_hash` parameter each, BEP 48). */
export function buildScrapeUrl(announceUrl: string, infoHashes: readonly Uint8Array[]): string {
  if (infoHashes.length === 0) throw new RangeError('scrape needs at least one info hash');
  infoHashes.forEach((hash, i) => checkHash(hash, `infoHashes[${i}]`));
  const { base, query } = splitTrackerUrl(toScrapeUrl(announceUrl));
  return joinQuery(base, query, infoHashes.map((hash) => `info_hash=${percentEncode(hash)}`).join('&'));
}
