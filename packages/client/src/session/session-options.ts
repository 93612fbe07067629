import type { HashPool } from '@gtorr/storage';
import type { HttpTrackerClient } from '@gtorr/tracker-http';
import type { UdpTrackerClient } from '@gtorr/tracker-udp';
import type { Logger } from '../logger.js';

export interface SessionOptions {
  /** TCP port to accept peers on; 0 picks a free one. Default 6881. */
  readonly port?: number;
  /** Address to listen on. Default: every interface (`::`, dual stack where the system allows). */
  readonly host?: string;
  /** Do not listen at all (outgoing connections only). Default false. */
  readonly listen?: boolean;
  /** Our 20-byte peer id. Default: a fresh `-GT0001-` id. */
  readonly peerId?: Uint8Array;
  /** Connected peers across all torrents, at most. Default 200. */
  readonly maxConnections?: number;
  /** Bytes per second across all torrents, payload; default unlimited. */
  readonly uploadRateLimit?: number;
  readonly downloadRateLimit?: number;
  /** Workers that hash pieces; default one per core, at most 2 (the main thread has the network). Shared by every torrent. */
  readonly hashPool?: HashPool;
  /** Tracker clients to use (for timeouts, an agent, a resolver). Default: fresh ones. */
  readonly httpTracker?: HttpTrackerClient;
  readonly udpTracker?: UdpTrackerClient;
  /** The address and port trackers should hand out to others, when it differs from what they see. */
  readonly announceIp?: string;
  readonly logger?: Logger;
  /** Milliseconds, monotonic; default `performance.now`. Tests may pass their own. */
  readonly now?: () => number;
  /** Numbers in [0, 1) for every random choice; default `Math.random`. */
  readonly random?: () => number;
  /** Client name sent in the extended handshake. Default `gtorr`. */
  readonly clientName?: string;
}
