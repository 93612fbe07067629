export interface TokenBucketOptions {
  /** Bytes per second; `Infinity` (the default) means no limit. */
  rate?: number;
  /** Most bytes that can be taken at once after a quiet spell. Default: one second's worth, at least 16 KiB so a block always fits. */
  burst?: number;
  /** A bucket every take must also pass (a torrent's bucket under the session's). */
  parent?: TokenBucket;
  /** When the bucket starts, full (ms). Default: the first call. */
  now?: number;
}

// One block: a limit lower than this could never let a PIECE message through.
const MIN_BURST = 16 * 1024;
// Refills are floating point: without slack, waiting exactly `waitTime` could leave a bucket a
// rounding error short.
const SLACK = 1e-6;

function defaultBurst(rate: number): number {
  return Number.isFinite(rate) ? Math.max(rate, MIN_BURST) : Infinity;
}

/**
 * A token bucket for upload or download limits. Composable: give a torrent's bucket the
 * session's as `parent`, and a take succeeds only if every bucket up the chain can pay, and
 * then pays in all of them. No timers: every call takes `now` in milliseconds.
 */
export class TokenBucket {
  readonly parent: TokenBucket | undefined;
  // This bucket, then its parent, its parent's parent...
  readonly #chain: readonly TokenBucket[];
  #rate: number;
  #burst: number;
  #tokens: number;
  #last: number | undefined;

  constructor(options: TokenBucketOptions = {}) {
    const rate = options.rate ?? Infinity;
    TokenBucket.#checkRate(rate);
    this.#rate = rate;
    this.#burst = options.burst ?? defaultBurst(rate);
    TokenBucket.#checkBurst(this.#burst);
    this.#tokens = this.#burst;
    this.#last = options.now;
    this.parent = options.parent;
    this.#chain = options.parent === undefined ? [this] : [this, ...options.parent.#chain];
  }

  get rate(): number {
    return this.#rate;
  }

  get burst(): number {
    return this.#burst;
  }

  /** Changes the limit from `now` on; tokens already saved are kept up to the new burst. */
  setRate(rate: number, now: number, burst: number = defaultBurst(rate)): void {
    TokenBucket.#checkRate(rate);
    TokenBucket.#checkBurst(burst);
    this.#refill(now);
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = Math.min(this.#tokens, burst);
  }

  /** Tokens in this bucket alone (negative while in debt). */
  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Takes `n` from this bucket and every parent if all can pay; otherwise takes nothing. */
  tryTake(n: number, now: number): boolean {
    TokenBucket.#checkAmount(n);
    for (const b of this.#chain) {
      b.#refill(now);
      if (b.#rate !== Infinity && b.#tokens + SLACK < n) return false;
    }
    for (const b of this.#chain) if (b.#rate !== Infinity) b.#tokens -= n;
    return true;
  }

  /**
   * Takes `n` whatever the balance, going into debt if need be: for bytes that already
   * arrived (a download limit cannot refuse them) or protocol overhead. Later takes wait out the debt.
   */
  consume(n: number, now: number): void {
    TokenBucket.#checkAmount(n);
    for (const b of this.#chain) {
      b.#refill(now);
      if (b.#rate !== Infinity) b.#tokens -= n;
    }
  }

  /**
   * Milliseconds until `tryTake(n)` can succeed in every bucket of the chain, if nothing else
   * takes meanwhile: 0 if now, `Infinity` if `n` exceeds a burst (split the amount).
   */
  waitTime(n: number, now: number): number {
    TokenBucket.#checkAmount(n);
    let wait = 0;
    for (const b of this.#chain) {
      b.#refill(now);
      if (b.#rate === Infinity || b.#tokens + SLACK >= n) continue;
      if (n > b.#burst || b.#rate === 0) return Infinity;
      wait = Math.max(wait, Math.ceil(((n - b.#tokens) * 1000) / b.#rate));
    }
    return wait;
  }

  #refill(now: number): void {
    if (!Number.isFinite(now)) throw new RangeError(`now must be a finite number, got ${now}`);
    if (this.#last === undefined || now <= this.#last) {
      this.#last ??= now;
      return;
    }
    if (this.#rate !== Infinity) this.#tokens = Math.min(this.#burst, this.#tokens + (this.#rate * (now - this.#last)) / 1000);
    this.#last = now;
  }

  static #checkRate(rate: number): void {
    if (Number.isNaN(rate) || rate < 0) throw new RangeError(`rate must be a non-negative number or Infinity, got ${rate}`);
  }

  static #checkBurst(burst: number): void {
    if (Number.isNaN(burst) || burst <= 0) throw new RangeError(`burst must be a positive number, got ${burst}`);
  }

  static #checkAmount(n: number): void {
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`amount must be a non-negative finite number, got ${n}`);
  }
}
