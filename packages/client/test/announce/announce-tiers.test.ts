import { describe, expect, it } from 'vitest';
import { AnnounceTiers, trackerKind, type AnnounceStep, type AnnounceTiersOptions } from '../../src/announce/announce-tiers.js';

// A random source that never swaps in Fisher-Yates (j = i), so tiers keep the given order.
const keepOrder = () => 0.999999;
const base: AnnounceTiersOptions = { random: keepOrder, jitter: 0, retryBaseMs: 1000, retryMaxMs: 8000, minIntervalMs: 0 };

type Row =
  | readonly ['next', number, AnnounceStep | string]
  | readonly ['ok', string, number, number?]
  | readonly ['fail', string, number, { retryAfterMs?: number; retryable?: boolean }?]
  | readonly ['now', number];

/** Runs a scenario: 'next' rows expect a step ('announce URL' is short for an announce step). */
function run(tiers: string[][], rows: readonly Row[], options: Partial<AnnounceTiersOptions> = {}): AnnounceTiers {
  const machine = new AnnounceTiers(tiers, { ...base, ...options });
  rows.forEach((row, i) => {
    switch (row[0]) {
      case 'next': {
        const step = machine.next(row[1]);
        const expected = row[2];
        if (typeof expected === 'string') expect(step.type === 'announce' ? step.url : step, `row ${i}`).toBe(expected);
        else expect(step, `row ${i}`).toEqual(expected);
        break;
      }
      case 'ok':
        machine.succeeded(row[1], row[2], { interval: row[3] ?? 100 });
        break;
      case 'fail':
        machine.failed(row[1], row[2], row[3]);
        break;
      case 'now':
        machine.announceNow(row[1]);
        break;
    }
  });
  return machine;
}

const wait = (until: number): AnnounceStep => ({ type: 'wait', until });

describe('AnnounceTiers (BEP 12)', () => {
  it('tries the first tracker of the first tier and waits the interval after a success', () => {
    run([['http://a/announce', 'udp://b:1'], ['http://c/announce']], [
      ['next', 0, 'http://a/announce'],
      ['ok', 'http://a/announce', 0, 100],
      ['next', 50_000, wait(100_000)],
      ['next', 100_000, 'http://a/announce'],
    ]);
  });

  it('falls to the next tracker of the tier, then to the next tier, on failures', () => {
    run([['http://a/announce', 'http://b/announce'], ['udp://c:1']], [
      ['next', 0, 'http://a/announce'],
      ['fail', 'http://a/announce', 0],
      ['next', 0, 'http://b/announce'],
      ['fail', 'http://b/announce', 0],
      ['next', 0, { type: 'announce', url: 'udp://c:1', kind: 'udp', tier: 1 }],
      ['ok', 'udp://c:1', 0, 100],
      ['next', 10, wait(100_000)],
    ]);
  });

  it('moves the tracker that answered to the front of its tier', () => {
    const machine = run([['http://a/announce', 'http://b/announce', 'http://c/announce']], [
      ['next', 0, 'http://a/announce'],
      ['fail', 'http://a/announce', 0],
      ['next', 0, 'http://b/announce'],
      ['fail', 'http://b/announce', 0],
      ['next', 0, 'http://c/announce'],
      ['ok', 'http://c/announce', 0, 100],
    ]);
    expect(machine.trackers().map((t) => t.url)).toEqual(['http://c/announce', 'http://a/announce', 'http://b/announce']);
    // Next round: the one that answered is asked first.
    expect(machine.next(100_000)).toMatchObject({ url: 'http://c/announce' });
  });

  it('skips trackers backing off, and returns to a higher tier once its backoff ends', () => {
    run([['http://a/announce'], ['http://b/announce']], [
      ['next', 0, 'http://a/announce'],
      ['fail', 'http://a/announce', 0], // a: retry at 1000
      ['next', 0, 'http://b/announce'],
      ['ok', 'http://b/announce', 0, 0.5], // interval 500 ms
      ['next', 500, 'http://b/announce'], // a still backing off
      ['ok', 'http://b/announce', 500, 0.5],
      ['next', 1000, 'http://a/announce'], // a's backoff is over: tier 1 first again
    ]);
  });

  it('backs off exponentially, capped, and resets after a success', () => {
    const a = 'http://a/announce';
    run([[a]], [
      ['next', 0, a],
      ['fail', a, 0],
      ['next', 0, wait(1000)],
      ['next', 1000, a],
      ['fail', a, 1000],
      ['next', 1000, wait(3000)],
      ['next', 3000, a],
      ['fail', a, 3000],
      ['next', 3000, wait(7000)],
      ['next', 7000, a],
      ['fail', a, 7000],
      ['next', 7000, wait(15_000)], // 8000 cap
      ['next', 15_000, a],
      ['fail', a, 15_000],
      ['next', 15_000, wait(23_000)], // still capped
      ['next', 23_000, a],
      ['ok', a, 23_000, 10],
      ['next', 33_000, a],
      ['fail', a, 33_000],
      ['next', 33_000, wait(34_000)], // back to the base delay
    ]);
  });

  it('when every tracker fails, waits for the earliest retry time', () => {
    run([['http://a/announce'], ['udp://b:1']], [
      ['next', 0, 'http://a/announce'],
      ['fail', 'http://a/announce', 0], // retry at 1000
      ['next', 10, 'udp://b:1'],
      ['fail', 'udp://b:1', 500], // retry at 1500
      ['next', 500, wait(1000)],
      ['next', 1000, 'http://a/announce'],
    ]);
  });

  it("honours a tracker's retry-in, and the longest delay for a refusal that cannot change", () => {
    const a = 'http://a/announce';
    run([[a]], [['next', 0, a], ['fail', a, 0, { retryAfterMs: 5000 }], ['next', 0, wait(5000)]]);
    run([[a]], [['next', 0, a], ['fail', a, 0, { retryable: false }], ['next', 0, wait(8000)]]);
  });

  it('clamps intervals: no hammering on interval 0, no silence beyond the maximum', () => {
    const a = 'http://a/announce';
    run([[a]], [['next', 0, a], ['ok', a, 0, 0], ['next', 0, wait(30_000)]], { minIntervalMs: 30_000 });
    run([[a]], [['next', 0, a], ['ok', a, 0, 1e9], ['next', 0, wait(7_200_000)]], { minIntervalMs: 30_000 });
  });

  it('announces at once on request, but not before the min interval', () => {
    const a = 'http://a/announce';
    const machine = new AnnounceTiers([[a]], base);
    machine.next(0);
    machine.succeeded(a, 0, { interval: 1800, minInterval: 60 });
    machine.announceNow(10_000);
    expect(machine.next(10_000)).toEqual(wait(60_000));
    expect(machine.next(60_000)).toMatchObject({ type: 'announce', url: a });
  });

  it('shuffles each tier once, with the random source given', () => {
    const tiers = [['http://a/announce', 'http://b/announce', 'http://c/announce'], ['udp://d:1', 'udp://e:1']];
    // Fisher-Yates draws j = floor(r * (i + 1)) for i = 2, 1 (tier 1), then i = 1 (tier 2).
    const draws = [0, 0, 0];
    const machine = new AnnounceTiers(tiers, { ...base, random: () => draws.shift() ?? 0.5 });
    expect(machine.trackers().map((t) => t.url)).toEqual(['http://b/announce', 'http://c/announce', 'http://a/announce', 'udp://e:1', 'udp://d:1']);
    // Not again later: the order only changes by successes.
    machine.next(0);
    machine.failed('http://b/announce', 0);
    expect(machine.trackers().map((t) => t.url)).toEqual(['http://b/announce', 'http://c/announce', 'http://a/announce', 'udp://e:1', 'udp://d:1']);
  });

  it('jitters retry delays downwards by up to the fraction given', () => {
    const a = 'http://a/announce';
    const machine = new AnnounceTiers([[a]], { ...base, jitter: 0.5, random: () => 0.5 });
    machine.next(0);
    machine.failed(a, 0);
    expect(machine.next(0)).toEqual(wait(750));
  });

  it('picks the kind by URL scheme, drops duplicates and what it cannot speak', () => {
    expect([trackerKind('http://x/a'), trackerKind('https://x/a'), trackerKind('udp://x:1'), trackerKind('wss://x'), trackerKind('nonsense')]).toEqual(['http', 'http', 'udp', undefined, undefined]);
    const machine = new AnnounceTiers([['wss://w', 'http://a/announce'], ['http://a/announce'], ['ws://z'], []], base);
    expect(machine.unsupported).toEqual(['wss://w', 'ws://z']);
    expect(machine.trackers()).toEqual([{ url: 'http://a/announce', kind: 'http', tier: 0, fails: 0, retryAt: Number.NEGATIVE_INFINITY }]);
    expect(new AnnounceTiers([['wss://only']], base).next(0)).toEqual({ type: 'none' });
  });

  it('refuses unknown trackers and bad options', () => {
    const machine = new AnnounceTiers([['http://a/announce']], base);
    expect(() => machine.failed('http://other/announce', 0)).toThrow(RangeError);
    expect(() => new AnnounceTiers([], { ...base, jitter: 1 })).toThrow(RangeError);
    expect(() => new AnnounceTiers([], { ...base, retryBaseMs: 0 })).toThrow(RangeError);
  });
});
