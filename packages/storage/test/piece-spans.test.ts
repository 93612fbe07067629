import fc from 'fast-check';
import type { FileEntry, Metainfo } from '@gtorr/metainfo';
import { describe, expect, it } from 'vitest';
import { filePieces, pieceSize, pieceSpans, StorageError } from '../src/index.js';

/** A byte-space layout only (no hashes): what pieceSpans reads. */
function layout(pieceLength: number, files: readonly { length: number; padding?: boolean; gapBefore?: number }[]): Metainfo {
  let offset = 0;
  const entries: FileEntry[] = files.map((file, i) => {
    offset += file.gapBefore ?? 0;
    const entry: FileEntry = { path: [`f${i}`], length: file.length, offset, padding: file.padding === true, attributes: '' };
    offset += file.length;
    return entry;
  });
  return { files: entries, pieceLength, length: offset, pieceCount: Math.ceil(offset / pieceLength) } as unknown as Metainfo;
}

describe('pieceSpans', () => {
  const m = layout(16, [{ length: 10 }, { length: 0 }, { length: 6, padding: true }, { length: 25 }, { length: 3 }]);

  it.each([
    [0, 0, 16, [{ fileIndex: 0, fileOffset: 0, pieceOffset: 0, length: 10 }]],
    [0, 4, 4, [{ fileIndex: 0, fileOffset: 4, pieceOffset: 4, length: 4 }]],
    [0, 10, 6, []],
    [1, 0, 16, [{ fileIndex: 3, fileOffset: 0, pieceOffset: 0, length: 16 }]],
    [2, 0, 12, [
      { fileIndex: 3, fileOffset: 16, pieceOffset: 0, length: 9 },
      { fileIndex: 4, fileOffset: 0, pieceOffset: 9, length: 3 },
    ]],
    [2, 10, 1, [{ fileIndex: 4, fileOffset: 1, pieceOffset: 10, length: 1 }]],
  ])('piece %i bytes %i+%i', (piece, offset, length, spans) => {
    expect(pieceSpans(m, piece, offset, length)).toEqual(spans);
  });

  it('defaults to the whole piece; the last piece is short', () => {
    expect(pieceSize(m, 2)).toBe(12);
    expect(pieceSpans(m, 2)).toEqual(pieceSpans(m, 2, 0, 12));
  });

  it('skips v2 alignment gaps, which belong to no file', () => {
    const v2 = layout(16, [{ length: 20 }, { length: 5, gapBefore: 12 }]);
    expect(pieceSpans(v2, 1)).toEqual([{ fileIndex: 0, fileOffset: 16, pieceOffset: 0, length: 4 }]);
    expect(pieceSpans(v2, 2)).toEqual([{ fileIndex: 1, fileOffset: 0, pieceOffset: 0, length: 5 }]);
  });

  it.each([
    [-1, 0, 1],
    [3, 0, 1],
    [0.5, 0, 1],
    [0, -1, 1],
    [0, 10, 7],
    [2, 0, 13],
    [0, 0, Number.NaN],
  ])('refuses piece %d bytes %d+%d with STORAGE_OUT_OF_RANGE', (piece, offset, length) => {
    let error: unknown;
    try {
      pieceSpans(m, piece, offset, length);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'STORAGE_OUT_OF_RANGE' });
  });

  it('covers exactly the bytes of real files in any range, in order (property)', () => {
    const file = fc.record({ length: fc.integer({ min: 0, max: 70 }), padding: fc.boolean(), gapBefore: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(file, { minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), fc.nat(), (pieceLength, files, a, b, c) => {
        const meta = layout(pieceLength, files);
        fc.pre(meta.length > 0);
        const piece = a % meta.pieceCount;
        const size = pieceSize(meta, piece);
        const offset = b % (size + 1);
        const length = c % (size - offset + 1);
        const spans = pieceSpans(meta, piece, offset, length);
        // Which file (if any) holds each byte, by brute force.
        const expected: [number, number][] = [];
        for (let at = piece * pieceLength + offset; at < piece * pieceLength + offset + length; at++) {
          const i = meta.files.findIndex((f) => !f.padding && f.offset <= at && at < f.offset + f.length);
          if (i >= 0) expected.push([i, at - meta.files[i]!.offset]);
        }
        const got: [number, number][] = spans.flatMap((s) => Array.from({ length: s.length }, (_, k): [number, number] => [s.fileIndex, s.fileOffset + k]));
        expect(got).toEqual(expected);
        for (const s of spans) {
          expect(s.length).toBeGreaterThan(0);
          expect(piece * pieceLength + s.pieceOffset).toBe(meta.files[s.fileIndex]!.offset + s.fileOffset);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('filePieces', () => {
  it('gives the pieces holding a file\'s bytes, none for an empty file', () => {
    const m = layout(16, [{ length: 10 }, { length: 0 }, { length: 6, padding: true }, { length: 25 }, { length: 3 }]);
    expect(filePieces(m, 0)).toEqual({ first: 0, end: 1 });
    expect(filePieces(m, 1)).toEqual({ first: 0, end: 0 });
    expect(filePieces(m, 3)).toEqual({ first: 1, end: 3 });
    expect(filePieces(m, 4)).toEqual({ first: 2, end: 3 });
  });
});
