/** The `event` of an announce. Omit it for a regular re-announce. */
export type AnnounceEvent = 'started' | 'completed' | 'stopped';

/** What a client tells the tracker in an announce (BEP 15). */
export interface AnnounceRequest {
  /** The 20-byte info hash. */
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
  /** Peers wanted; the tracker's default when omitted (sent as -1). */
  readonly numwant?: number;
  /** A 32-bit number that identifies this client across IP changes. Default: one random key per client object. */
  readonly key?: number;
  /** An IPv4 address to announce instead of the packet's source (trackers may ignore it). */
  readonly ip?: string;
}

/** A peer from an announce reply. */
export interface Peer {
  /** IPv4 or IPv6 address. */
  readonly host: string;
  readonly port: number;
}

export interface AnnounceResponse {
  /** Seconds to wait before the next regular announce. */
  readonly interval: number;
  /** Seeds ("seeders" in BEP 15). */
  readonly complete: number;
  /** Leechers. */
  readonly incomplete: number;
  /** IPv4 peers when asked over IPv4, IPv6 peers when asked over IPv6. */
  readonly peers: Peer[];
}

/** One swarm's counts from a scrape. */
export interface ScrapeFile {
  /** The 20-byte info hash (the caller's own array). */
  readonly infoHash: Uint8Array;
  /** Seeds. */
  readonly complete: number;
  /** Leechers. */
  readonly incomplete: number;
  /** Completed downloads the tracker counted. */
  readonly downloaded: number;
}

export interface ScrapeResponse {
  readonly files: ScrapeFile[];
}
