import type { AnnounceEvent, AnnounceRequest, HttpTrackerClient } from '@gtorr/tracker-http';
import type { UdpTrackerClient } from '@gtorr/tracker-udp';
import type { AnnounceOutcome } from '../torrent/torrent-events.js';
import { AnnounceTiers, trackerKind } from './announce-tiers.js';

export interface AnnouncerOptions {
  readonly tiers: readonly (readonly string[])[];
  /** 20 bytes: the v1 info hash, or the v2 one truncated (BEP 52). */
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly port: () => number;
  /** Payload bytes so far, and bytes still wanted. */
  readonly stats: () => { uploaded: number; downloaded: number; left: number };
  readonly http: () => HttpTrackerClient;
  readonly udp: () => UdpTrackerClient;
  readonly now: () => number;
  readonly random: () => number;
  readonly announceIp?: string | undefined;
  /** How many peers to ask for. Default 50. */
  readonly numwant?: number;
  readonly onPeers: (peers: readonly { host: string; port: number }[], url: string) => void;
  readonly onOutcome: (outcome: AnnounceOutcome) => void;
}

/** What both kinds of tracker answer, as far as the announcer cares. */
interface TrackerAnswer {
  readonly interval: number;
  readonly minInterval?: number | undefined;
  readonly trackerId?: Uint8Array | undefined;
  readonly complete: number | undefined;
  readonly incomplete: number | undefined;
  readonly peers: readonly { host: string; port: number }[];
}

// A `stopped` announce must not hold up a shutdown.
const STOPPED_TIMEOUT_MS = 3000;

/**
 * Talks to a torrent's trackers on the schedule `AnnounceTiers` sets (BEP 12 tiers, the
 * interval each tracker asks for, backoff on failure): `started` first, `completed` once
 * when the download ends, `stopped` at the end to every tracker that knows us.
 */
export class Announcer {
  readonly #options: AnnouncerOptions;
  readonly #tiers: AnnounceTiers;
  readonly #key: number;
  readonly #started = new Set<string>();
  readonly #trackerIds = new Map<string, Uint8Array>();
  readonly #abort = new AbortController();
  #completedPending = false;
  #completedSent = new Set<string>();
  #busy = false;
  #stopped = false;

  constructor(options: AnnouncerOptions) {
    this.#options = options;
    this.#tiers = new AnnounceTiers(options.tiers, { random: options.random });
    this.#key = Math.floor(options.random() * 0x1_0000_0000);
  }

  /** URLs of a scheme we cannot announce to (wss:, for instance). */
  get unsupported(): readonly string[] {
    return this.#tiers.unsupported;
  }

  get hasTrackers(): boolean {
    return this.#tiers.trackers().length > 0;
  }

  /** Call about once a second: announces when one is due. */
  tick(): void {
    if (this.#busy || this.#stopped) return;
    const now = this.#options.now();
    const step = this.#tiers.next(now);
    if (step.type !== 'announce') return;
    this.#busy = true;
    void this.#announce(step.url, this.#eventFor(step.url)).finally(() => {
      this.#busy = false;
    });
  }

  /** The download is complete: tell the trackers now rather than at the next interval. */
  completed(): void {
    this.#completedPending = true;
    // `completed` goes out at once to every tracker that knows us, whatever its min interval:
    // it is one announce, and the tracker's counts depend on it.
    for (const url of this.#started) {
      if (!this.#completedSent.has(url)) void this.#announce(url, 'completed');
    }
    if (this.#started.size === 0) this.#tiers.announceNow(this.#options.now());
  }

  /** Asks for more peers as soon as the trackers' `min interval` allows. */
  wantPeers(): void {
    this.#tiers.announceNow(this.#options.now());
  }

  /** Sends `stopped` to every tracker we announced `started` to, waiting at most 3 s; no announce after this. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    const urls = [...this.#started];
    await Promise.allSettled(urls.map((url) => this.#request(url, 'stopped', AbortSignal.timeout(STOPPED_TIMEOUT_MS))));
  }

  #eventFor(url: string): AnnounceEvent | undefined {
    if (!this.#started.has(url)) return 'started';
    if (this.#completedPending && !this.#completedSent.has(url)) return 'completed';
    return undefined;
  }

  async #announce(url: string, event: AnnounceEvent | undefined): Promise<void> {
    try {
      const response = await this.#request(url, event, this.#abort.signal);
      if (this.#stopped) return;
      this.#tiers.succeeded(url, this.#options.now(), response);
      if (event === 'started') this.#started.add(url);
      if (event === 'completed') this.#completedSent.add(url);
      if (response.trackerId !== undefined) this.#trackerIds.set(url, response.trackerId);
      this.#options.onPeers(response.peers, url);
      this.#options.onOutcome({ url, event, peers: response.peers.length, seeds: response.complete, leechers: response.incomplete });
    } catch (error) {
      if (this.#stopped) return;
      const retryable = (error as { retryable?: boolean }).retryable;
      this.#tiers.failed(url, this.#options.now(), { retryable });
      this.#options.onOutcome({ url, event, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  #request(url: string, event: AnnounceEvent | undefined, signal: AbortSignal): Promise<TrackerAnswer> {
    // Every URL here came from the tiers, which keep only those `trackerKind` knows: an
    // unknown one would be our bug, reported as this announce failing rather than guessed at.
    const kind = trackerKind(url);
    if (kind === undefined) return Promise.reject(new RangeError(`not an http, https or udp tracker: ${url}`));
    const { uploaded, downloaded, left } = this.#options.stats();
    const trackerId = this.#trackerIds.get(url);
    const request: AnnounceRequest = {
      infoHash: this.#options.infoHash,
      peerId: this.#options.peerId,
      port: this.#options.port(),
      uploaded,
      downloaded,
      left,
      key: this.#key,
      numwant: event === 'stopped' ? 0 : (this.#options.numwant ?? 50),
      ...(event === undefined ? {} : { event }),
      ...(trackerId === undefined ? {} : { trackerId }),
      ...(this.#options.announceIp === undefined ? {} : { ip: this.#options.announceIp }),
    };
    return kind === 'udp' ? this.#options.udp().announce(url, request, { signal }) : this.#options.http().announce(url, request, { signal });
  }
}
