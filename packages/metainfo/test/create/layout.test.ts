import { describe, expect, it } from 'vitest';
import { layoutFiles, planJobs } from '../../src/create/internal/layout.js';
import { choosePieceLength } from '../../src/index.js';

const shape = (lengths: number[], version: 1 | 2 | 'hybrid') => layoutFiles(lengths, 32768, version).entries.map((e) => (e.file < 0 ? `pad ${e.length}` : `${e.file}@${e.offset}`));

describe('file layout (BEP 47 pads as libtorrent 2.0 and the BEP 52 reference creator place them)', () => {
  it.each([
    [[50000, 50000], ['0@0', 'pad 15536', '1@65536', 'pad 15536']],
    [[50000, 0], ['0@0', 'pad 15536', '1@65536']],
    [[0, 50000], ['0@0', '1@0', 'pad 15536']],
    [[32768, 50000], ['0@0', '1@32768', 'pad 15536']],
    [[50000, 32768], ['0@0', 'pad 15536', '1@65536']],
    [[50000], ['0@0']],
  ])('hybrid %j -> %j', (lengths, expected) => {
    expect(shape(lengths, 'hybrid')).toEqual(expected);
  });

  it('v1 concatenates files with no pads', () => {
    expect(shape([50000, 50000, 7], 1)).toEqual(['0@0', '1@50000', '2@100000']);
    expect(layoutFiles([50000, 50000, 7], 32768, 1).pieceCount).toBe(4);
  });

  it('v2 starts files on piece boundaries and ends with the last file', () => {
    const layout = layoutFiles([50000, 50000], 32768, 2);
    expect(layout.totalLength).toBe(65536 + 50000);
    expect(layout.pieceCount).toBe(4);
    expect(layoutFiles([50000, 50000], 32768, 'hybrid').totalLength).toBe(4 * 32768);
  });

  it('cuts the byte space into jobs of whole pieces that cover it exactly once', () => {
    const layout = layoutFiles([100_000, 0, 70_000, 5], 16384, 'hybrid');
    const jobs = planJobs(layout, 16384, 40_000);
    expect(jobs.map((j) => j.pieceCount)).toEqual([2, 2, 2, 2, 2, 2, 1]);
    expect(jobs.reduce((n, j) => n + j.bytes, 0)).toBe(layout.totalLength);
    for (const job of jobs) expect(job.segments.reduce((n, s) => n + s.length, 0)).toBe(job.bytes);
    const fileBytes = [0, 0, 0, 0];
    for (const job of jobs) for (const s of job.segments) if (s.file >= 0) fileBytes[s.file]! += s.length;
    expect(fileBytes).toEqual([100_000, 0, 70_000, 5]);
  });
});

describe('choosePieceLength', () => {
  it.each([
    [0, 16384],
    [1, 16384],
    [32 * 1024 * 1024, 16384],
    [32 * 1024 * 1024 + 1, 32768],
    [1024 ** 3, 524288],
    [8 * 1024 ** 3, 4 * 1024 * 1024],
    [10 * 1024 ** 4, 16 * 1024 * 1024],
  ])('%d bytes -> %d', (total, pieceLength) => {
    expect(choosePieceLength(total)).toBe(pieceLength);
  });
});
