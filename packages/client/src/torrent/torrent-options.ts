import type { Metainfo } from '@gtorr/metainfo';
import type { Storage } from '@gtorr/storage';
import type { SequentialOptions } from '../picker/piece-picker.js';

/** Where a torrent is in its life. */
export type TorrentState =
  /** A magnet link: fetching the info dictionary from peers (BEP 9), then a v2-only torrent's piece layers (BEP 52 hash requests). */
  | 'metadata'
  /** Hashing the data already on disk (or trusting resume data). */
  | 'checking'
  | 'downloading'
  /** Every wanted piece is verified; serving others. */
  | 'seeding'
  | 'stopped'
  /** Stopped by an error it cannot get past (see the `error` event). */
  | 'failed';

/** How a torrent is added to a session. */
export interface TorrentOptions {
  /**
   * The download folder: files go to `directory/name/...` (multi-file) or `directory/name`.
   * Required unless `storage` is given.
   */
  readonly directory?: string;
  /** Makes the torrent's storage once its metainfo is known; default a `FileStorage` in `directory`. */
  readonly storage?: (metainfo: Metainfo) => Storage;
  /**
   * The resume file, or `false` for none. Default `directory/.gtorr/<info hash>.resume` when
   * `directory` is given, else none.
   */
  readonly resume?: string | false;
  /** Peers to dial, as `host:port` (`[v6]:port`). */
  readonly peers?: readonly string[];
  /** Trackers to use besides the torrent's own, as BEP 12 tiers. */
  readonly trackers?: readonly (readonly string[])[];
  /** Announce to trackers at all. Default true. */
  readonly announce?: boolean;
  /** Connected peers, at most. Default 50. */
  readonly maxConnections?: number;
  /** Bytes per second, payload; default unlimited. Chained under the session's limit. */
  readonly uploadRateLimit?: number;
  readonly downloadRateLimit?: number;
  /** One priority per entry of `metainfo.files`: 0 skips the file, 1..7, higher first. Default 4 each. */
  readonly filePriorities?: readonly number[];
  /** Download pieces in order (for streaming), `true` for the whole torrent. */
  readonly sequential?: boolean | SequentialOptions;
  /** Exchange peers with peers (BEP 11). Default true; never for a private torrent. */
  readonly pex?: boolean;
  /** Milliseconds between PEX messages to one peer. Default 60,000 (BEP 11: at most one a minute). */
  readonly pexIntervalMs?: number;
  /** Hash what is on disk before starting when there is no resume data to trust. Default true. */
  readonly check?: boolean;
  /** Regular upload slots (the choker's). Default 4, plus one optimistic unchoke. */
  readonly uploadSlots?: number;
}
