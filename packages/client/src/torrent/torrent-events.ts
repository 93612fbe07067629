import type { Metainfo } from '@gtorr/metainfo';
import type { ClientError } from '../errors.js';
import type { PeerSource } from '../peers/peer-book.js';
import type { TorrentState } from './torrent-options.js';

/** A connected peer, as `Torrent.peers()` and the peer events show it. */
export interface PeerInfo {
  /** `host:port` (for an incoming peer, the port it connected from). */
  readonly address: string;
  /** The client it names in its extended handshake (`v`), when it gave one. */
  readonly client: string | undefined;
  readonly direction: 'outgoing' | 'incoming';
  /** Payload bytes per second, from it and to it. */
  readonly downloadRate: number;
  readonly uploadRate: number;
  /** Pieces it has, as far as we know. */
  readonly pieces: number;
  readonly seed: boolean;
  /** Our side: are we choking it, does it interest us; its side: is it choking us, is it interested. */
  readonly amChoking: boolean;
  readonly amInterested: boolean;
  readonly peerChoking: boolean;
  readonly peerInterested: boolean;
}

/** One announce's outcome. */
export interface AnnounceOutcome {
  readonly url: string;
  readonly event: 'started' | 'completed' | 'stopped' | undefined;
  /** Peers it gave, when it answered. */
  readonly peers?: number;
  readonly seeds?: number | undefined;
  readonly leechers?: number | undefined;
  /** Why it failed, when it did. */
  readonly error?: Error;
}

/** One outgoing dial or handshake that failed, before the peer was connected (the `peer:connect-failed` payload). */
export interface PeerConnectFailure {
  /** `host:port` (`[v6]:port`), as the peer book keys it. */
  readonly address: string;
  /** Where we heard of the peer: `manual` when it was given by hand (even if a tracker or PEX named it too), else the first source that did. */
  readonly source: PeerSource;
  readonly error: {
    /**
     * The system error for a socket that failed (`ECONNREFUSED`, `EHOSTUNREACH`, `ETIMEDOUT`,
     * `ENOTFOUND`...), else the wire error's (`WIRE_HANDSHAKE_TIMEOUT`, `WIRE_INFO_HASH_MISMATCH`,
     * `WIRE_CLOSED`...). Absent when the failure had no code.
     */
    readonly code?: string;
    readonly message: string;
  };
  /** Milliseconds until the peer is dialled again (after its backoff); null when it was given up and forgotten. */
  readonly retryInMs: number | null;
}

/** The events of a `Torrent`. Names are `noun:action`, besides the classic `metadata`, `done`, `warning` and `error`. */
export interface TorrentEvents {
  /** The info dictionary is known (at once for a .torrent file; fetched from peers for a magnet link, with a v2-only torrent's piece layers). */
  metadata: [metainfo: Metainfo];
  'state:change': [state: TorrentState];
  /** The data on disk was checked: `verified` pieces of `pieceCount` are good; `reason` says what resume data was trusted. */
  'check:done': [result: { verified: number; pieceCount: number; reason: string }];
  'piece:verified': [piece: number];
  /** A piece failed its hash check; `peers` sent its blocks (each gets a strike). */
  'piece:failed': [piece: number, peers: readonly string[]];
  /** Every wanted piece is verified and on disk (flushed). */
  done: [];
  'peer:connect': [peer: PeerInfo];
  'peer:disconnect': [address: string, reason: Error | undefined];
  /**
   * A peer we dialled could not be connected: refused, unreachable, timed out, or its
   * handshake failed (a wrong info hash...). Once per failed attempt; none for the dials
   * that our own `stop()` cuts short.
   */
  'peer:connect-failed': [failure: PeerConnectFailure];
  /** A host was banned (too many hash failures, or protocol abuse); its connections are closed. */
  'peer:ban': [host: string, reason: string];
  'tracker:announce': [outcome: AnnounceOutcome];
  /** Something went wrong that the torrent gets past (a tracker down, a peer misbehaving). */
  warning: [warning: Error];
  /** The torrent cannot go on (its storage failed); it is now `failed`. Listen for it: an unheard `error` event throws. */
  error: [error: ClientError];
}
