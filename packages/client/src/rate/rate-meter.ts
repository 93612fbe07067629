export interface RateMeterOptions {
  /** Seconds averaged over, besides the current one. Default 10. */
  windowSeconds?: number;
  /** When measuring began (ms); by default the first `add` or `rate` call. Until a full window has passed, the rate is over the time elapsed since then. */
  startedAt?: number;
}

/**
 * Bytes per second over a sliding window of one-second buckets. No timers: every call takes
 * `now` in milliseconds; a `now` earlier than one seen before counts as that one.
 */
export class RateMeter {
  readonly windowSeconds: number;
  readonly #buckets: Float64Array;
  #second: number | undefined;
  #latest = -Infinity;
  #startedAt: number | undefined;
  #total = 0;

  constructor(options: RateMeterOptions = {}) {
    const window = options.windowSeconds ?? 10;
    if (!Number.isInteger(window) || window < 1 || window > 3600) throw new RangeError(`windowSeconds must be an integer 1..3600, got ${window}`);
    this.windowSeconds = window;
    this.#buckets = new Float64Array(window + 1);
    this.#startedAt = options.startedAt;
  }

  /** Every byte ever added. */
  get total(): number {
    return this.#total;
  }

  add(bytes: number, now: number): void {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes must be a non-negative number, got ${bytes}`);
    const second = this.#advance(now);
    this.#buckets[this.#slot(second)]! += bytes;
    this.#total += bytes;
  }

  /** Bytes per second over the window that ends at `now`. */
  rate(now: number): number {
    this.#advance(now);
    let sum = 0;
    for (const bytes of this.#buckets) sum += bytes;
    if (sum === 0) return 0;
    const at = this.#latest;
    const covered = this.windowSeconds + (at - Math.floor(at / 1000) * 1000) / 1000;
    const elapsed = (at - this.#startedAt!) / 1000;
    // At least one second, so one early burst does not read as an enormous rate.
    return sum / Math.max(1, Math.min(covered, elapsed));
  }

  #advance(now: number): number {
    if (!Number.isFinite(now)) throw new RangeError(`now must be a finite number, got ${now}`);
    const at = Math.max(now, this.#latest);
    this.#latest = at;
    this.#startedAt ??= at;
    const second = Math.floor(at / 1000);
    if (this.#second === undefined) {
      this.#second = second;
      return second;
    }
    const size = this.#buckets.length;
    // Seconds that passed with no call have carried nothing: empty their buckets.
    const gap = Math.min(second - this.#second, size);
    for (let s = 1; s <= gap; s++) this.#buckets[this.#slot(this.#second + s)] = 0;
    this.#second = second;
    return second;
  }

  #slot(second: number): number {
    const size = this.#buckets.length;
    return ((second % size) + size) % size;
  }
}
