import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixturePath, readFixture, torrentFixtures } from '@gtorr/fixtures';
import { interop, SYSTEM_PYTHON } from '@gtorr/interop';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Metainfo, parseTorrent } from '../../src/index.js';
import { hex } from '../helpers.js';

interface LibtorrentView {
  file: string;
  error?: string;
  infoHash: string | null;
  infoHashV2: string | null;
  name: string;
  pieceLength: number;
  pieceCount: number;
  files: { path: string[]; length: number; offset: number; padding: boolean }[];
}

/** How libtorrent reads each torrent (fixtures/scripts/libtorrent-inspect.py, one process for all). */
function libtorrentRead(files: readonly string[]): LibtorrentView[] {
  const out = execFileSync(SYSTEM_PYTHON, [fixturePath('scripts/libtorrent-inspect.py'), ...files], { timeout: 60_000, maxBuffer: 1 << 28 });
  return JSON.parse(out.toString()) as LibtorrentView[];
}

/** Our reading in libtorrent's terms: paths with the torrent's folder first; v2 pads are implicit there, so left out. */
function compare(ours: Metainfo, theirs: LibtorrentView): void {
  expect(theirs.error).toBeUndefined();
  expect(hex(ours.infoHash.v1)).toBe(theirs.infoHash);
  expect(hex(ours.infoHash.v2)).toBe(theirs.infoHashV2);
  expect(ours.name).toBe(theirs.name);
  expect(ours.pieceLength).toBe(theirs.pieceLength);
  expect(ours.pieceCount).toBe(theirs.pieceCount);
  const keep = (f: { padding: boolean }) => ours.version !== 2 || !f.padding;
  const ourFiles = ours.files.filter(keep).map((f) => ({ path: ours.isDirectory ? [ours.name, ...f.path] : [...f.path], length: f.length, offset: f.offset, padding: f.padding }));
  expect(ourFiles).toEqual(theirs.files.filter(keep));
}

describe.runIf(interop('libtorrent'))('interop: libtorrent 2.0 reads torrents as we do', () => {
  const valid = torrentFixtures().filter((f) => f.kind === 'valid');

  it('agrees on every valid fixture: info hashes, name, pieces, files and offsets', () => {
    const views = libtorrentRead(valid.map((f) => fixturePath(f.file)));
    for (const [i, fixture] of valid.entries()) {
      const ours = parseTorrent(readFixture(fixture.file));
      try {
        compare(ours, views[i]!);
      } catch (error) {
        throw new Error(`${fixture.file}: ${(error as Error).message}`, { cause: error });
      }
    }
    expect(views).toHaveLength(valid.length);
  });

  const scratch = mkdtempSync(join(tmpdir(), 'gtorr-metainfo-interop-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('agrees on v1, v2 and hybrid torrents libtorrent makes of random file trees', () => {
    const component = fc.stringMatching(/^[a-z0-9][a-z0-9 ._-]{0,7}$/).filter((c) => !/[. ]$/.test(c));
    const tree = fc.uniqueArray(fc.tuple(fc.array(component, { minLength: 1, maxLength: 3 }), fc.nat(70_000)), {
      minLength: 1,
      maxLength: 8,
      // No path may be another's folder.
      selector: ([path]) => path[0]!,
    });
    const samples = fc.sample(fc.tuple(tree, fc.constantFrom(16384, 32768, 65536)), { numRuns: 5, seed: 4242 });
    const made: { file: string; mode: string }[] = [];
    for (const [n, [files, pieceLength]] of samples.entries()) {
      const root = join(scratch, `set${n}`, 'payload');
      for (const [path, size] of files) {
        const full = join(root, ...path);
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, new Uint8Array(size).fill(n + size));
      }
      for (const mode of ['v1', 'v2', 'hybrid']) {
        const file = join(scratch, `set${n}-${mode}.torrent`);
        execFileSync(SYSTEM_PYTHON, [fixturePath('scripts/libtorrent-create.py'), '--mode', mode, '--piece-length', String(pieceLength), '--out', file, root], { timeout: 60_000 });
        made.push({ file, mode });
      }
    }
    const views = libtorrentRead(made.map((m) => m.file));
    for (const [i, { file, mode }] of made.entries()) {
      const ours = parseTorrent(readFileSync(file));
      expect(ours.version).toBe(mode === 'v1' ? 1 : mode === 'v2' ? 2 : 'hybrid');
      compare(ours, views[i]!);
    }
  }, 120_000);
});
