import type { Agent } from 'node:http';
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import { httpGet, type HttpGetResult } from '../internal/http-get.js';
import { decodeTrackerDictionary, parseAnnounceResponse } from '../protocol/announce-response.js';
import { buildAnnounceUrl } from '../protocol/announce-url.js';
import { parseScrapeResponse } from '../protocol/scrape-response.js';
import { buildScrapeUrl } from '../protocol/scrape-url.js';
import type { AnnounceRequest, AnnounceResponse, ScrapeResponse } from '../types.js';

export interface HttpTrackerClientOptions {
  /** Deadline for one whole request, redirects included, in ms. Default 30,000. */
  readonly timeoutMs?: number;
  /** Largest body read, in bytes; a longer one is cut off with `TRACKER_TOO_LARGE`. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Redirects followed before `TRACKER_TOO_MANY_REDIRECTS`. Default 5. */
  readonly maxRedirects?: number;
  /** The `User-Agent` header. Default `gtorr`. */
  readonly userAgent?: string;
  /** An `http.Agent`/`https.Agent` to use (for a proxy, TLS options or pooling). Default: a fresh connection per request. */
  readonly agent?: Agent;
}

/** Per-call options: cancellation. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
}

// 1 MiB holds a compact list of ~170,000 peers or a scrape of ~10,000 swarms, far beyond
// what any tracker sends one client, and is small enough to hold per request.
const DEFAULT_MAX_BYTES = 1 << 20;

/**
 * Announces to and scrapes HTTP(S) trackers (BEP 3, 7, 23, 24, 31, 48). Remembers the
 * `tracker id` each announce URL gave and sends it back. Every request has a timeout, a
 * size cap and a redirect bound, and takes an `AbortSignal`.
 */
export class HttpTrackerClient {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxRedirects: number;
  readonly #headers: Record<string, string>;
  readonly #agent: Agent | undefined;
  readonly #trackerIds = new Map<string, Uint8Array>();

  constructor(options: HttpTrackerClientOptions = {}) {
    this.#timeoutMs = positive(options.timeoutMs ?? 30_000, 'timeoutMs');
    this.#maxBytes = positive(options.maxResponseBytes ?? DEFAULT_MAX_BYTES, 'maxResponseBytes');
    this.#maxRedirects = options.maxRedirects ?? 5;
    if (!Number.isInteger(this.#maxRedirects) || this.#maxRedirects < 0) throw new RangeError('maxRedirects must be a non-negative integer');
    // identity: a compressed body could expand past the size cap after it was checked.
    this.#headers = { 'user-agent': options.userAgent ?? 'gtorr', 'accept-encoding': 'identity' };
    this.#agent = options.agent;
  }

  /** Announces `request` to `url`. Resolves with the response; rejects with `TrackerError` (or the abort reason). */
  async announce(url: string, request: AnnounceRequest, options: RequestOptions = {}): Promise<AnnounceResponse> {
    const trackerId = request.trackerId ?? this.#trackerIds.get(url);
    const target = buildAnnounceUrl(url, trackerId === undefined ? request : { ...request, trackerId });
    const result = await this.#get(target, options.signal);
    const response = parseAnnounceResponse(result.body, { url: result.url });
    if (response.trackerId !== undefined) this.#trackerIds.set(url, response.trackerId);
    return response;
  }

  /**
   * Scrapes `infoHashes` from the scrape URL of announce URL `url` (BEP 48). Rejects with
   * `TRACKER_SCRAPE_UNSUPPORTED` before any request when `url` has no scrape URL.
   */
  async scrape(url: string, infoHashes: readonly Uint8Array[], options: RequestOptions = {}): Promise<ScrapeResponse> {
    const result = await this.#get(buildScrapeUrl(url, infoHashes), options.signal);
    return parseScrapeResponse(result.body, { url: result.url });
  }

  async #get(url: string, signal: AbortSignal | undefined): Promise<HttpGetResult> {
    const result = await httpGet(url, { timeoutMs: this.#timeoutMs, maxBytes: this.#maxBytes, maxRedirects: this.#maxRedirects, headers: this.#headers, agent: this.#agent, signal });
    if (result.status !== 200) {
      // Some trackers explain a refusal in a bencoded body with an error status: prefer
      // their words (decodeTrackerDictionary throws TRACKER_FAILURE for them).
      try {
        decodeTrackerDictionary(result.body, { url: result.url });
      } catch (error) {
        if (error instanceof TrackerError && error.code === Code.FAILURE) throw error;
      }
      // 4xx other than 408/429 says this request is wrong and will stay wrong.
      const retryable = result.status >= 500 || result.status === 408 || result.status === 429;
      throw new TrackerError(Code.HTTP_STATUS, `HTTP status ${result.status}`, { url: result.url, status: result.status, retryable });
    }
    return result;
  }
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}
