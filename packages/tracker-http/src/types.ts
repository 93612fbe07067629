/** The `event` of an announce (BEP 3). Omit it for a regular re-announce. */
export type AnnounceEvent = 'started' | 'completed' | 'stopped';

/** What a client tells the tracker in an announce (BEP 3, BEP 23). */
export interface AnnounceRequest {
  /** The 20-byte v1 info hash (or a v2 hash truncated to 20 bytes, BEP 52). */
  readonly infoHash: Uint8Array;
  /** The 20-byte peer id. */
  readonly peerId: Uint8Array;
  /** The TCP port this client accepts peers on. */
  readonly port: number;
  readonly uploaded: number;
  readonly downloaded: number;
  /** Bytes still missing; 0 makes this client a seed. */
  readonly left: number;
  readonly event?: AnnounceEvent;
  /** How many peers to ask for. The tracker's default when omitted. */
  readonly numwant?: number;
  /** A random 32-bit number that lets the tracker recognise this client across IP changes. Sent as 8 hex digits. */
  readonly key?: number;
  /** The `tracker id` a previous response of this tracker carried. */
  readonly trackerId?: Uint8Array | string;
  /** An address to announce instead of the one the request comes from (trackers may ignore it). */
  readonly ip?: string;
  /** Ask for a compact peer list (BEP 23). Default `true`. */
  readonly compact?: boolean;
}

/** A peer from a tracker response. `host` is an IPv4 or IPv6 address (or, in a dictionary list, possibly a name). */
export interface Peer {
  readonly host: string;
  readonly port: number;
  /** Only dictionary peer lists carry peer ids. */
  readonly peerId?: Uint8Array;
}

/** A successful announce response. */
export interface AnnounceResponse {
  /** Seconds to wait before the next regular announce. 1800 when the tracker left it out. */
  readonly interval: number;
  /** Seconds the client must at least wait before announcing again, when given. */
  readonly minInterval: number | undefined;
  /** Echo this in later announces to the same tracker. */
  readonly trackerId: Uint8Array | undefined;
  /** Seeds, when given. */
  readonly complete: number | undefined;
  /** Leechers, when given. */
  readonly incomplete: number | undefined;
  /** A message to show; the response is still good. */
  readonly warningMessage: string | undefined;
  /** The address the tracker saw this client at (BEP 24), as text, when given. */
  readonly externalIp: string | undefined;
  /** IPv4 and IPv6 peers (`peers`, then `peers6`), in the tracker's order. */
  readonly peers: Peer[];
}

/** One swarm's counts in a scrape response (BEP 48). */
export interface ScrapeFile {
  /** The 20-byte info hash (a fresh copy). */
  readonly infoHash: Uint8Array;
  /** Seeds. */
  readonly complete: number;
  /** Leechers. */
  readonly incomplete: number;
  /** Completed downloads the tracker counted. */
  readonly downloaded: number;
  readonly name?: string;
}

export interface ScrapeResponse {
  readonly files: ScrapeFile[];
  /** `flags.min_request_interval`, seconds, when given. */
  readonly minRequestInterval: number | undefined;
}
