// Which tracker to announce to, and when: BEP 12 tiers with backoff for failing trackers.
// A pure state machine shared by HTTP and UDP trackers: time comes in as `now` (ms) and
// randomness from an injected source, so tests drive it with no clock and no network.
// The caller performs each announce it is told to and reports the outcome.

/** The tracker protocols the client speaks, picked by URL scheme. */
export type TrackerKind = 'http' | 'udp';

/** `http` for http:/https: URLs, `udp` for udp:, `undefined` for anything else (wss:, garbage). */
export function trackerKind(url: string): TrackerKind | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return undefined;
  }
  if (protocol === 'http:' || protocol === 'https:') return 'http';
  if (protocol === 'udp:') return 'udp';
  return undefined;
}

export interface AnnounceTiersOptions {
  /** Uniform in [0, 1): shuffles each tier once (BEP 12) and jitters retry delays. */
  readonly random: () => number;
  /** Delay after a tracker's first failure, in ms; doubled for each further one. Default 60 s. */
  readonly retryBaseMs?: number;
  /** The longest retry delay, in ms. Default 1 hour. */
  readonly retryMaxMs?: number;
  /** Each retry delay is shortened by up to this fraction, at random, so that many torrents do not retry in step. Default 0.25. */
  readonly jitter?: number;
  /** The shortest interval obeyed, in ms: a tracker asking for less is not hammered. Default 60 s. */
  readonly minIntervalMs?: number;
  /** The longest interval obeyed, in ms: peers are lost beyond it. Default 2 hours. */
  readonly maxIntervalMs?: number;
}

/** What to do next. */
export type AnnounceStep =
  | { readonly type: 'announce'; readonly url: string; readonly kind: TrackerKind; readonly tier: number }
  | { readonly type: 'wait'; readonly until: number }
  | { readonly type: 'none' };

/** What a tracker said on success, in seconds as trackers say it. */
export interface AnnounceSuccess {
  readonly interval: number;
  readonly minInterval?: number | undefined;
}

export interface AnnounceFailure {
  /** Wait at least this long (ms) before this tracker again, where the tracker said so (BEP 31 `retry in`). */
  readonly retryAfterMs?: number | undefined;
  /** `false` when asking again cannot help (the tracker refuses the torrent for good): the longest delay applies. */
  readonly retryable?: boolean | undefined;
}

/** A tracker as the state machine sees it. */
export interface TrackerState {
  readonly url: string;
  readonly kind: TrackerKind;
  readonly tier: number;
  /** Failures in a row. */
  readonly fails: number;
  /** Not tried before this time (ms). */
  readonly retryAt: number;
}

interface Tracker {
  readonly url: string;
  readonly kind: TrackerKind;
  fails: number;
  retryAt: number;
}

/**
 * BEP 12 announce tiers. Each tier is shuffled once. An announce round tries the trackers
 * in order, tier by tier, skipping those backing off after failures; the first success ends
 * the round, moves that tracker to the front of its tier, and sets the next round after the
 * tracker's interval. When every tracker failed or is backing off, the round waits for the
 * earliest retry time.
 */
export class AnnounceTiers {
  readonly #tiers: Tracker[][];
  readonly #random: () => number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #jitter: number;
  readonly #minIntervalMs: number;
  readonly #maxIntervalMs: number;
  /** URLs left out: schemes no tracker client here speaks. */
  readonly unsupported: readonly string[];
  #nextRoundAt = Number.NEGATIVE_INFINITY;
  #minIntervalUntil = Number.NEGATIVE_INFINITY;
  readonly #failedThisRound = new Set<string>();

  constructor(tiers: readonly (readonly string[])[], options: AnnounceTiersOptions) {
    this.#random = options.random;
    this.#retryBaseMs = options.retryBaseMs ?? 60_000;
    this.#retryMaxMs = options.retryMaxMs ?? 3_600_000;
    this.#jitter = options.jitter ?? 0.25;
    this.#minIntervalMs = options.minIntervalMs ?? 60_000;
    this.#maxIntervalMs = options.maxIntervalMs ?? 7_200_000;
    if (!(this.#retryBaseMs > 0) || !(this.#retryMaxMs >= this.#retryBaseMs)) throw new RangeError('need 0 < retryBaseMs <= retryMaxMs');
    if (!(this.#jitter >= 0 && this.#jitter < 1)) throw new RangeError('jitter must be in [0, 1)');
    if (!(this.#minIntervalMs >= 0 && this.#maxIntervalMs >= this.#minIntervalMs)) throw new RangeError('need 0 <= minIntervalMs <= maxIntervalMs');
    const seen = new Set<string>();
    const unsupported: string[] = [];
    this.#tiers = [];
    for (const tier of tiers) {
      const trackers: Tracker[] = [];
      for (const url of tier) {
        if (seen.has(url)) continue;
        seen.add(url);
        const kind = trackerKind(url);
        if (kind === undefined) unsupported.push(url);
        else trackers.push({ url, kind, fails: 0, retryAt: Number.NEGATIVE_INFINITY });
      }
      if (trackers.length > 0) this.#tiers.push(this.#shuffle(trackers));
    }
    this.unsupported = unsupported;
  }

  /** The step to take at `now`. Call it again after reporting the outcome of an announce. */
  next(now: number): AnnounceStep {
    if (this.#tiers.length === 0) return { type: 'none' };
    if (now < this.#nextRoundAt) return { type: 'wait', until: this.#nextRoundAt };
    for (const [tier, trackers] of this.#tiers.entries()) {
      for (const tracker of trackers) {
        if (!this.#failedThisRound.has(tracker.url) && tracker.retryAt <= now) return { type: 'announce', url: tracker.url, kind: tracker.kind, tier };
      }
    }
    // Nobody left to try in this round: the next one starts when the first backoff ends.
    this.#failedThisRound.clear();
    let until = Number.POSITIVE_INFINITY;
    for (const trackers of this.#tiers) for (const tracker of trackers) until = Math.min(until, tracker.retryAt);
    this.#nextRoundAt = Math.max(until, now);
    return this.#nextRoundAt > now ? { type: 'wait', until: this.#nextRoundAt } : this.next(now);
  }

  /** `url` answered: it moves to the front of its tier and the next round waits for its interval. */
  succeeded(url: string, now: number, response: AnnounceSuccess): void {
    const [tier, index] = this.#find(url);
    const tracker = tier[index]!;
    tracker.fails = 0;
    tracker.retryAt = Number.NEGATIVE_INFINITY;
    tier.splice(index, 1);
    tier.unshift(tracker);
    this.#failedThisRound.clear();
    const minIntervalMs = seconds(response.minInterval);
    const intervalMs = clamp(Math.max(seconds(response.interval), minIntervalMs), this.#minIntervalMs, this.#maxIntervalMs);
    this.#nextRoundAt = now + intervalMs;
    this.#minIntervalUntil = now + Math.min(minIntervalMs, intervalMs);
  }

  /** `url` failed: it backs off (exponentially, capped) and the round goes on to the next tracker. */
  failed(url: string, now: number, failure: AnnounceFailure = {}): void {
    const [tier, index] = this.#find(url);
    const tracker = tier[index]!;
    tracker.fails++;
    const exponential = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.min(tracker.fails - 1, 30));
    const delay = failure.retryable === false ? this.#retryMaxMs : exponential * (1 - this.#jitter * this.#random());
    tracker.retryAt = now + Math.max(delay, failure.retryAfterMs ?? 0);
    this.#failedThisRound.add(url);
  }

  /**
   * Starts a new round as soon as the last tracker's `min interval` allows, for an event
   * that should not wait for the interval (`completed`, or more peers wanted).
   */
  announceNow(now: number): void {
    this.#failedThisRound.clear();
    this.#nextRoundAt = Math.max(now, this.#minIntervalUntil);
  }

  /** Every tracker in its current order, tier by tier. */
  trackers(): TrackerState[] {
    return this.#tiers.flatMap((trackers, tier) => trackers.map((t) => ({ url: t.url, kind: t.kind, tier, fails: t.fails, retryAt: t.retryAt })));
  }

  #find(url: string): [Tracker[], number] {
    for (const tier of this.#tiers) {
      const index = tier.findIndex((t) => t.url === url);
      if (index >= 0) return [tier, index];
    }
    throw new RangeError(`unknown tracker ${url}`);
  }

  // Fisher-Yates with the injected source.
  #shuffle(trackers: Tracker[]): Tracker[] {
    for (let i = trackers.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [trackers[i], trackers[j]] = [trackers[j]!, trackers[i]!];
    }
    return trackers;
  }
}

function seconds(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value * 1000 : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
