import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { progressSnapshot } from '../../src/progress/progress.js';

const base = { bytesWanted: 1000, bytesDone: 0, downloadRate: 0, uploadRate: 0, peers: 0 };

describe('progressSnapshot', () => {
  it.each([
    { name: 'nothing yet, nothing arriving', counters: base, expected: { percent: 0, etaSeconds: null, done: false, bytesLeft: 1000 } },
    { name: 'halfway at 100 B/s', counters: { ...base, bytesDone: 500, downloadRate: 100 }, expected: { percent: 50, etaSeconds: 5, done: false } },
    { name: 'the ETA rounds up', counters: { ...base, bytesDone: 999, downloadRate: 2 }, expected: { etaSeconds: 1 } },
    { name: '99.99% never shows as 100%', counters: { ...base, bytesWanted: 100_000, bytesDone: 99_999 }, expected: { percent: 99.9, done: false } },
    { name: 'done', counters: { ...base, bytesDone: 1000 }, expected: { percent: 100, etaSeconds: 0, done: true, bytesLeft: 0 } },
    { name: 'nothing wanted is done', counters: { ...base, bytesWanted: 0 }, expected: { percent: 100, done: true } },
    { name: 'more done than wanted is clamped', counters: { ...base, bytesDone: 5000 }, expected: { bytesDone: 1000, percent: 100 } },
    { name: 'ratio after a download', counters: { ...base, downloaded: 200, uploaded: 300 }, expected: { ratio: 1.5 } },
    { name: 'no ratio before one', counters: { ...base, uploaded: 300 }, expected: { ratio: null } },
    { name: 'garbage rates read as 0', counters: { ...base, downloadRate: Number.NaN, uploadRate: -5 }, expected: { downloadRate: 0, uploadRate: 0, etaSeconds: null } },
    { name: 'peers and seeds pass through', counters: { ...base, peers: 7, seeds: 2, piecesWanted: 10, piecesDone: 3 }, expected: { peers: 7, seeds: 2, piecesWanted: 10, piecesDone: 3 } },
  ])('$name', ({ counters, expected }) => {
    expect(progressSnapshot(counters)).toMatchObject(expected);
  });

  it('keeps percent in 0..100 and done exactly when nothing is left (fast-check)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }), (wanted, done, rate) => {
        const s = progressSnapshot({ ...base, bytesWanted: wanted, bytesDone: done, downloadRate: rate });
        expect(s.percent).toBeGreaterThanOrEqual(0);
        expect(s.percent).toBeLessThanOrEqual(100);
        expect(s.done).toBe(s.bytesLeft === 0);
        expect(s.percent === 100).toBe(s.done);
        if (!s.done && rate > 0) expect(s.etaSeconds! * rate).toBeGreaterThanOrEqual(s.bytesLeft * (1 - 1e-12));
      }),
    );
  });
});
