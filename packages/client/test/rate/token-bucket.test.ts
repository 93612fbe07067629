import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/rate/token-bucket.js';

describe('TokenBucket', () => {
  it('starts full, pays out its burst, then refills at its rate', () => {
    const bucket = new TokenBucket({ rate: 1000, burst: 2000, now: 0 });
    expect(bucket.tryTake(1500, 0)).toBe(true);
    expect(bucket.tryTake(1000, 0)).toBe(false);
    expect(bucket.available(0)).toBe(500);
    expect(bucket.waitTime(1000, 0)).toBe(500);
    expect(bucket.tryTake(1000, 499)).toBe(false);
    expect(bucket.tryTake(1000, 500)).toBe(true);
  });

  it.each([
    { name: 'unlimited by default', options: {}, n: 1e12, wait: 0 },
    { name: 'more than the burst can never be taken at once', options: { rate: 1000, burst: 2000 }, n: 2001, wait: Infinity },
    { name: 'a rate of zero never refills', options: { rate: 0, burst: 10 }, n: 11, wait: Infinity },
    { name: 'the default burst holds one 16 KiB block even at a low rate', options: { rate: 100 }, n: 16 * 1024, wait: 0 },
  ])('$name', ({ options, n, wait }) => {
    const bucket = new TokenBucket({ ...options, now: 0 });
    expect(bucket.waitTime(n, 0)).toBe(wait);
    expect(bucket.tryTake(n, 0)).toBe(wait === 0);
  });

  it('never saves more than its burst, however long it rests', () => {
    const bucket = new TokenBucket({ rate: 1000, burst: 3000, now: 0 });
    expect(bucket.available(1_000_000)).toBe(3000);
  });

  it('goes into debt on consume, and later takes wait it out', () => {
    const bucket = new TokenBucket({ rate: 1000, burst: 1000, now: 0 });
    bucket.consume(3000, 0);
    expect(bucket.available(0)).toBe(-2000);
    expect(bucket.waitTime(1000, 0)).toBe(3000);
  });

  it('takes from every bucket up the chain, or from none', () => {
    const session = new TokenBucket({ rate: 1000, burst: 1000, now: 0 });
    const torrentA = new TokenBucket({ rate: 800, burst: 800, parent: session, now: 0 });
    const torrentB = new TokenBucket({ rate: 800, burst: 800, parent: session, now: 0 });
    expect(torrentA.tryTake(600, 0)).toBe(true);
    expect(torrentB.tryTake(600, 0)).toBe(false); // the session has 400 left
    expect(torrentB.available(0)).toBe(800); // nothing was taken from B
    expect(torrentB.tryTake(400, 0)).toBe(true);
    expect(session.available(0)).toBe(0);
    expect(torrentB.waitTime(400, 0)).toBe(400); // B has 400, the session needs 400 ms
  });

  it('changes rate on the fly, keeping saved tokens up to the new burst', () => {
    const bucket = new TokenBucket({ rate: 1000, burst: 5000, now: 0 });
    bucket.setRate(100, 0, 2000);
    expect(bucket.available(0)).toBe(2000);
    bucket.tryTake(2000, 0);
    expect(bucket.waitTime(100, 0)).toBe(1000);
    bucket.setRate(Infinity, 0);
    expect(bucket.tryTake(1e9, 0)).toBe(true);
  });

  it('refuses bad input', () => {
    expect(() => new TokenBucket({ rate: -1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ rate: 10, burst: 0 })).toThrow(RangeError);
    expect(() => new TokenBucket().tryTake(-5, 0)).toThrow(RangeError);
    expect(() => new TokenBucket().waitTime(Number.NaN, 0)).toThrow(RangeError);
  });
});

describe('TokenBucket properties (fast-check)', () => {
  const steps = fc.array(fc.record({ dt: fc.nat(700), n: fc.integer({ min: 1, max: 3000 }), child: fc.nat(1) }), { maxLength: 80 });

  it('never lets more than burst + rate x window through over any window, in a child or across the parent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 3000, max: 8000 }), fc.integer({ min: 1, max: 5000 }), steps, (parentRate, parentBurst, childRate, plan) => {
        const parent = new TokenBucket({ rate: parentRate, burst: parentBurst, now: 0 });
        const children = [0, 1].map(() => new TokenBucket({ rate: childRate, burst: 4000, parent, now: 0 }));
        const taken: { t: number; n: number; child: number }[] = [];
        let t = 0;
        for (const { dt, n, child } of plan) {
          t += dt;
          if (children[child]!.tryTake(n, t)) taken.push({ t, n, child });
        }
        const bound = (rate: number, burst: number, from: number, to: number): number => burst + (rate * (to - from)) / 1000 + 1e-3;
        for (let i = 0; i < taken.length; i++) {
          let all = 0;
          const perChild = [0, 0];
          for (let j = i; j < taken.length; j++) {
            all += taken[j]!.n;
            perChild[taken[j]!.child]! += taken[j]!.n;
            const [from, to] = [taken[i]!.t, taken[j]!.t];
            expect(all).toBeLessThanOrEqual(bound(parentRate, parentBurst, from, to));
            for (const c of [0, 1]) expect(perChild[c]).toBeLessThanOrEqual(bound(childRate, 4000, from, to));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('waitTime is enough: a take after waiting it succeeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 16_384, max: 100_000 }), fc.nat(200_000), fc.nat(100_000), (rate, burst, debt, n) => {
        const bucket = new TokenBucket({ rate, burst, now: 0 });
        bucket.consume(debt, 0);
        const wait = bucket.waitTime(n, 0);
        if (n > burst) expect(wait).toBe(Infinity);
        else expect(bucket.tryTake(n, wait)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
