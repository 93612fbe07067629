import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { piecePrioritiesFromFiles } from '../../src/picker/file-priorities.js';

describe('piecePrioritiesFromFiles', () => {
  it.each([
    { name: 'one file, all wanted', files: [[0, 25]], priorities: [4], expected: [4, 4, 4] },
    { name: 'one file skipped', files: [[0, 25]], priorities: [0], expected: [0, 0, 0] },
    { name: 'a shared piece takes the wanted file', files: [[0, 15], [15, 10]], priorities: [0, 2], expected: [0, 2, 2] },
    { name: 'the higher of two priorities', files: [[0, 12], [12, 13]], priorities: [7, 1], expected: [7, 7, 1] },
    { name: 'an empty file touches nothing', files: [[0, 10], [10, 0], [10, 15]], priorities: [0, 7, 0], expected: [0, 0, 0] },
    { name: 'a file ending on a piece boundary', files: [[0, 10], [10, 15]], priorities: [3, 0], expected: [3, 0, 0] },
  ])('$name', ({ files, priorities, expected }) => {
    const spans = files.map(([offset, length]) => ({ offset: offset!, length: length! }));
    expect([...piecePrioritiesFromFiles(spans, priorities, 10, 25)]).toEqual(expected);
  });

  it.each([
    { name: 'a count mismatch', files: [{ offset: 0, length: 5 }], priorities: [] },
    { name: 'a priority of 8', files: [{ offset: 0, length: 5 }], priorities: [8] },
    { name: 'a file past the end', files: [{ offset: 20, length: 6 }], priorities: [1] },
    { name: 'a negative offset', files: [{ offset: -1, length: 2 }], priorities: [1] },
  ])('refuses $name', ({ files, priorities }) => {
    expect(() => piecePrioritiesFromFiles(files, priorities, 10, 25)).toThrow(RangeError);
  });

  it('gives each piece the highest priority of the files overlapping it (fast-check)', () => {
    const layout = fc.record({
      pieceLength: fc.integer({ min: 1, max: 50 }),
      lengths: fc.array(fc.nat(120), { minLength: 1, maxLength: 12 }),
    });
    fc.assert(
      fc.property(layout, fc.array(fc.nat(7), { minLength: 12, maxLength: 12 }), ({ pieceLength, lengths }, prios) => {
        let offset = 0;
        const files = lengths.map((length) => {
          const span = { offset, length };
          offset += length;
          return span;
        });
        const priorities = prios.slice(0, files.length);
        const out = piecePrioritiesFromFiles(files, priorities, pieceLength, offset);
        expect(out.length).toBe(Math.ceil(offset / pieceLength));
        for (let piece = 0; piece < out.length; piece++) {
          const lo = piece * pieceLength;
          const hi = Math.min(offset, lo + pieceLength);
          const overlapping = files.map((f, i) => ({ f, p: priorities[i]! })).filter(({ f }) => f.length > 0 && f.offset < hi && f.offset + f.length > lo);
          expect(out[piece]).toBe(Math.max(0, ...overlapping.map(({ p }) => p)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
