/**
 * Every way a UDP tracker exchange can fail, as a stable code. Tests and callers match on
 * these, never on message text. The codes match @gtorr/tracker-http's where they mean the same.
 */
export const TrackerErrorCode = {
  /** The tracker answered with an error packet (action 3); its text is `failureReason`. */
  FAILURE: 'TRACKER_FAILURE',
  /** A reply to our transaction that cannot be read: too short, the wrong action, a partial entry. */
  BAD_RESPONSE: 'TRACKER_BAD_RESPONSE',
  /** An announce reply whose peer list is not a whole number of entries (6 bytes IPv4, 18 IPv6). */
  BAD_PEERS: 'TRACKER_BAD_PEERS',
  /** A request packet that cannot be read (servers decoding what clients send). */
  BAD_REQUEST: 'TRACKER_BAD_REQUEST',
  /** No answer after the last retransmission (BEP 15: 15 * 2^n seconds, n up to 8), or past `timeoutMs`. */
  TIMEOUT: 'TRACKER_TIMEOUT',
  /** Sending failed, or the tracker's name did not resolve. */
  NETWORK: 'TRACKER_NETWORK',
  /** A URL that is not `udp://host:port`. */
  BAD_URL: 'TRACKER_BAD_URL',
  /** The client was closed while the request was under way. */
  CLOSED: 'TRACKER_CLOSED',
} as const;

export type TrackerErrorCode = (typeof TrackerErrorCode)[keyof typeof TrackerErrorCode];

export interface TrackerErrorOptions {
  /** The tracker URL of the request. */
  url?: string;
  /** Whether trying the same request later may succeed. Defaults by code. */
  retryable?: boolean;
  /** The tracker's error text (code `TRACKER_FAILURE`). */
  failureReason?: string;
  cause?: unknown;
}

const retryableByDefault: Record<TrackerErrorCode, boolean> = {
  TRACKER_FAILURE: true,
  TRACKER_BAD_RESPONSE: false,
  TRACKER_BAD_PEERS: false,
  TRACKER_BAD_REQUEST: false,
  TRACKER_TIMEOUT: true,
  TRACKER_NETWORK: true,
  TRACKER_BAD_URL: false,
  TRACKER_CLOSED: false,
};

/** The one error class of @gtorr/tracker-udp: a tracker that failed, refused, or sent bad data. */
export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  readonly code: TrackerErrorCode;
  readonly url: string | undefined;
  readonly retryable: boolean;
  readonly failureReason: string | undefined;

  constructor(code: TrackerErrorCode, message: string, options: TrackerErrorOptions = {}) {
    super(options.url === undefined ? message : `${message} (${options.url})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.url = options.url;
    this.retryable = options.retryable ?? retryableByDefault[code];
    this.failureReason = options.failureReason;
  }
}
