import { readFixture, torrentFixtures } from '@gtorr/fixtures';
import { describe, expect, it } from 'vitest';
import { type Metainfo, MetainfoError, parseTorrent } from '../src/index.js';
import { hex } from './helpers.js';

const all = torrentFixtures();
const valid = all.filter((f) => f.kind === 'valid');
const refused = all.filter((f) => f.error !== undefined);
const sanitised = all.filter((f) => f.kind === 'hostile' && f.error === undefined);

/** The values the manifest holds (from libtorrent), as read by us: pads left out of length and count. */
function summary(meta: Metainfo) {
  const real = meta.files.filter((f) => !f.padding);
  return {
    infoHash: hex(meta.infoHash.v1),
    infoHashV2: hex(meta.infoHash.v2),
    name: meta.name,
    pieceLength: meta.pieceLength,
    pieceCount: meta.pieceCount,
    length: real.reduce((sum, f) => sum + f.length, 0),
    fileCount: real.length,
    private: meta.private,
  };
}

describe('shared fixtures (fixtures/manifest.json)', () => {
  it('has real torrents of every kind and tool to test against', () => {
    expect(valid.length).toBeGreaterThanOrEqual(20);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const origin of ['mktorrent', 'transmission', 'libtorrent', 'webtorrent']) expect(valid.some((f) => f.origin.includes(origin))).toBe(true);
    expect(valid.some((f) => f.expected!.fileCount >= 3000 && f.expected!.pieceCount >= 3000)).toBe(true);
  });

  it.each(valid.map((f) => [f.file, f] as const))('reads %s as libtorrent does', (file, fixture) => {
    const meta = parseTorrent(readFixture(file));
    expect(summary(meta)).toEqual(fixture.expected);
    // The byte space is whole: each file starts where the one before it ends (v2: on the next boundary).
    let end = 0;
    for (const f of meta.files) {
      const expected = meta.version === 2 ? Math.ceil(end / meta.pieceLength) * meta.pieceLength : end;
      expect(f.offset).toBe(expected);
      end = f.offset + f.length;
    }
    expect(Math.ceil(meta.length / meta.pieceLength)).toBe(meta.pieceCount);
  });

  it.each(refused.map((f) => [f.file, f.error] as const))('refuses %s with %s', (file, code) => {
    let error: unknown;
    try {
      parseTorrent(readFixture(file));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetainfoError);
    expect((error as MetainfoError).code).toBe(code);
  });

  it.each(sanitised.map((f) => [f.file, f] as const))('accepts %s with safe names', (file, fixture) => {
    const meta = parseTorrent(readFixture(file));
    expect(summary(meta)).toEqual(fixture.expected);
    expect(meta.files.map((f) => f.path)).toEqual(fixture.expectedPaths);
  });
});
