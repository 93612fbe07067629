import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../src/rate/rate-meter.js';

describe('RateMeter', () => {
  it('reads a steady stream at its rate', () => {
    const meter = new RateMeter({ windowSeconds: 10 });
    for (let t = 0; t < 30_000; t += 100) meter.add(100, t);
    expect(meter.rate(30_000)).toBe(1000);
    expect(meter.total).toBe(30_000);
  });

  it.each([
    { name: 'nothing yet', adds: [], at: 5000, rate: 0 },
    { name: 'a first burst counts over at least one second', adds: [[0, 5000]], at: 10, rate: 5000 },
    { name: 'a young meter divides by its age, not the window', adds: [[0, 1000], [1000, 1000], [1999, 1000]], at: 3000, rate: 1000 },
    { name: 'bytes older than the window are gone', adds: [[0, 1_000_000], [12_000, 1000]], at: 12_000, rate: 100 },
    { name: 'silence longer than the window reads zero', adds: [[0, 1000]], at: 11_000, rate: 0 },
    { name: 'a clock going backwards counts as the latest time', adds: [[5000, 500], [4000, 500]], at: 5000, rate: 1000 },
  ])('$name', ({ adds, at, rate }) => {
    const meter = new RateMeter({ windowSeconds: 10 });
    for (const [t, bytes] of adds) meter.add(bytes!, t!);
    expect(meter.rate(at)).toBeCloseTo(rate, 6);
  });

  it('uses the start time it is given', () => {
    const meter = new RateMeter({ windowSeconds: 5, startedAt: 0 });
    meter.add(4000, 3500);
    expect(meter.rate(4000)).toBe(1000);
  });

  it('refuses bad input', () => {
    expect(() => new RateMeter({ windowSeconds: 0 })).toThrow(RangeError);
    expect(() => new RateMeter().add(-1, 0)).toThrow(RangeError);
    expect(() => new RateMeter().rate(Number.NaN)).toThrow(RangeError);
  });

  it('agrees with a naive scan of every sample (fast-check)', () => {
    const step = fc.record({ dt: fc.nat(4000), bytes: fc.nat(100_000) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(1_000_000), fc.array(step, { maxLength: 60 }), fc.nat(30_000), (window, start, steps, after) => {
        const meter = new RateMeter({ windowSeconds: window });
        const samples: { t: number; bytes: number }[] = [];
        let t = start;
        for (const { dt, bytes } of steps) {
          t += dt;
          meter.add(bytes, t);
          samples.push({ t, bytes });
        }
        const now = t + after;
        const second = Math.floor(now / 1000);
        const inWindow = samples.filter((s) => Math.floor(s.t / 1000) >= second - window).reduce((sum, s) => sum + s.bytes, 0);
        const firstAt = samples[0]?.t ?? now;
        const span = Math.max(1, Math.min(window + (now % 1000) / 1000, (now - firstAt) / 1000));
        const expected = inWindow === 0 ? 0 : inWindow / span;
        expect(meter.rate(now)).toBeCloseTo(expected, 6);
        expect(meter.total).toBe(samples.reduce((sum, s) => sum + s.bytes, 0));
      }),
      { numRuns: 500 },
    );
  });
});
