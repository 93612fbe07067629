/**
 * Every way an HTTP tracker exchange can fail, as a stable code. Tests and callers match
 * on these, never on message text.
 */
export const TrackerErrorCode = {
  /** The tracker answered with a `failure reason` (see `failureReason`). */
  FAILURE: 'TRACKER_FAILURE',
  /** The body is not bencode, not a dictionary, or a field has the wrong type. */
  BAD_RESPONSE: 'TRACKER_BAD_RESPONSE',
  /** A peer list that cannot be read: a compact string whose length is not a multiple of 6 (18 for `peers6`), or a malformed entry. */
  BAD_PEERS: 'TRACKER_BAD_PEERS',
  /** No complete answer within the timeout. */
  TIMEOUT: 'TRACKER_TIMEOUT',
  /** The body (or its declared length) exceeds `maxResponseBytes`. */
  TOO_LARGE: 'TRACKER_TOO_LARGE',
  /** An HTTP status other than 200 with no bencoded `failure reason` (see `status`). */
  HTTP_STATUS: 'TRACKER_HTTP_STATUS',
  /** More redirects than `maxRedirects`, or a redirect loop. */
  TOO_MANY_REDIRECTS: 'TRACKER_TOO_MANY_REDIRECTS',
  /** A redirect with no usable `Location` (missing, or to a scheme other than http/https). */
  BAD_REDIRECT: 'TRACKER_BAD_REDIRECT',
  /** The announce URL has no scrape counterpart (BEP 48: its last path segment does not start with `announce`). */
  SCRAPE_UNSUPPORTED: 'TRACKER_SCRAPE_UNSUPPORTED',
  /** The connection failed: refused, reset, DNS, TLS. */
  NETWORK: 'TRACKER_NETWORK',
  /** A URL this package cannot use (not http: or https:). */
  BAD_URL: 'TRACKER_BAD_URL',
} as const;

export type TrackerErrorCode = (typeof TrackerErrorCode)[keyof typeof TrackerErrorCode];

export interface TrackerErrorOptions {
  /** The URL that was requested (after redirects, where one was followed). */
  url?: string;
  /** Whether trying the same request later may succeed. Defaults by code. */
  retryable?: boolean;
  /** The tracker's `failure reason` (code `TRACKER_FAILURE`). */
  failureReason?: string;
  /** BEP 31 `retry in`: minutes before asking again, or `'never'`. */
  retryIn?: number | 'never';
  /** The HTTP status (code `TRACKER_HTTP_STATUS`). */
  status?: number;
  cause?: unknown;
}

// A tracker that is down, slow or overloaded may be fine later; one that sends garbage or
// refuses the URL will send the same garbage again.
const retryableByDefault: Record<TrackerErrorCode, boolean> = {
  TRACKER_FAILURE: true,
  TRACKER_BAD_RESPONSE: false,
  TRACKER_BAD_PEERS: false,
  TRACKER_TIMEOUT: true,
  TRACKER_TOO_LARGE: false,
  TRACKER_HTTP_STATUS: true,
  TRACKER_TOO_MANY_REDIRECTS: false,
  TRACKER_BAD_REDIRECT: false,
  TRACKER_SCRAPE_UNSUPPORTED: false,
  TRACKER_NETWORK: true,
  TRACKER_BAD_URL: false,
};

/** The one error class of @gtorr/tracker-http: a tracker that failed, refused, or sent bad data. */
export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  readonly code: TrackerErrorCode;
  readonly url: string | undefined;
  readonly retryable: boolean;
  readonly failureReason: string | undefined;
  readonly retryIn: number | 'never' | undefined;
  readonly status: number | undefined;

  constructor(code: TrackerErrorCode, message: string, options: TrackerErrorOptions = {}) {
    super(options.url === undefined ? message : `${message} (${options.url})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.url = options.url;
    this.retryable = options.retryable ?? retryableByDefault[code];
    this.failureReason = options.failureReason;
    this.retryIn = options.retryIn;
    this.status = options.status;
  }
}
