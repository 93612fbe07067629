import type { Metainfo } from '@gtorr/metainfo';
import type { ClientError } from '../errors.js';
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
  /** A host was banned (too many hash failures, or protocol abuse); its connections are closed. */
  'peer:ban': [host: string, reason: string];
  'tracker:announce': [outcome: AnnounceOutcome];
  /** Something went wrong that the torrent gets past (a tracker down, a peer misbehaving). */
  warning: [warning: Error];
  /** The torrent cannot go on (its storage failed); it is now `failed`. Listen for it: an unheard `error` event throws. */
  error: [error: ClientError];
}
