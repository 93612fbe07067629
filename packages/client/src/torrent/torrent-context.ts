import type { HashPool } from '@gtorr/storage';
import type { HttpTrackerClient } from '@gtorr/tracker-http';
import type { UdpTrackerClient } from '@gtorr/tracker-udp';
import type { PeerConnection } from '@gtorr/wire';
import type { Logger } from '../logger.js';
import type { TokenBucket } from '../rate/token-bucket.js';
import type { Torrent } from './torrent.js';

/** What a torrent gets from its session: identity, shared limits and shared workers. */
export interface TorrentContext {
  readonly peerId: Uint8Array;
  readonly clientName: string;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  readonly announceIp: string | undefined;
  /** The session's buckets: every torrent's bucket is chained under them. */
  readonly uploadBucket: TokenBucket;
  readonly downloadBucket: TokenBucket;
  /** The port we accept peers on (what trackers hand out), 0 when not listening. */
  listenPort(): number;
  /** Our listening addresses, never to be dialled. */
  ourAddresses(): string[];
  hashPool(): HashPool | undefined;
  httpTracker(): HttpTrackerClient;
  udpTracker(): UdpTrackerClient;
  /** Connections the session's global limit still allows. */
  connectionRoom(): number;
  /** Dials a peer for `torrent`, with the session's handshake options. */
  connect(torrent: Torrent, host: string, port: number): PeerConnection;
}
