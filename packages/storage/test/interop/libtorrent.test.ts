// libtorrent as the reference: torrents it makes must check complete here, and data this
// package writes must check complete in libtorrent (same layout: pad files never on disk,
// v2 files aligned to pieces, empty files present).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interop, SYSTEM_PYTHON } from '@gtorr/interop';
import { parseTorrent } from '@gtorr/metainfo';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTorrent, FileStorage, pieceSize } from '../../src/index.js';
import { testBytes } from '../../src/test.js';

const script = fileURLToPath(new URL('./lt_reference.py', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'gtorr-storage-lt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function python(...args: string[]): string {
  const run = spawnSync(SYSTEM_PYTHON, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`lt_reference.py ${args[0]} failed: ${run.stderr}`);
  return run.stdout;
}

/** A folder `data` of files whose ends fall inside pieces, nested, with an empty file. */
function makeData(parent: string): string {
  const data = join(parent, 'data');
  mkdirSync(join(data, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(data, 'a.bin'), testBytes(100_000, 1));
  writeFileSync(join(data, 'empty.txt'), '');
  writeFileSync(join(data, 'sub', 'b.bin'), testBytes(5_000, 2));
  writeFileSync(join(data, 'sub', 'deeper', 'c.bin'), testBytes(70_001, 3));
  return data;
}

describe.runIf(interop('libtorrent'))('libtorrent interop', () => {
  for (const version of ['1', '2', 'hybrid'] as const) {
    it(`checks a v${version} torrent libtorrent made, and writes data libtorrent checks complete`, { timeout: 60_000 }, async () => {
      const dir = join(root, `v${version}`);
      mkdirSync(dir);
      const data = makeData(dir);
      const torrentPath = join(dir, 'data.torrent');
      python('create', data, torrentPath, version, '16384');
      const metainfo = parseTorrent(readFileSync(torrentPath));
      expect(metainfo.version).toBe(version === 'hybrid' ? 'hybrid' : Number(version));

      const source = new FileStorage(metainfo, dir, { readOnly: true });
      const result = await checkTorrent(source, { workers: 2 });
      expect(result.complete).toBe(true);
      expect(result.counts.verified).toBe(metainfo.pieceCount);
      expect(result.files.map((f) => f.state)).toEqual(result.files.map(() => 'complete'));

      // Our writes, checked by libtorrent.
      const copyDir = join(dir, 'copy');
      const copy = new FileStorage(metainfo, copyDir);
      for (let piece = metainfo.pieceCount - 1; piece >= 0; piece--) await copy.write(piece, 0, await source.read(piece, 0, pieceSize(metainfo, piece)));
      await copy.close();
      const reference = JSON.parse(python('check', torrentPath, copyDir)) as { pieces: boolean[] };
      expect(reference.pieces).toEqual(Array.from({ length: metainfo.pieceCount }, () => true));

      // One byte changed: that piece fails in both, and the file is partial.
      const c = join(dir, 'data', 'sub', 'deeper', 'c.bin');
      const bytes = readFileSync(c);
      bytes[40_000]! ^= 1;
      writeFileSync(c, bytes);
      const after = await checkTorrent(source, { workers: 0 });
      const failed = [...Array(metainfo.pieceCount).keys()].filter((p) => after.pieceState(p) === 'failed');
      expect(failed).toHaveLength(1);
      const libtorrentSays = JSON.parse(python('check', torrentPath, dir)) as { pieces: boolean[] };
      expect(libtorrentSays.pieces.map((ok, p) => (ok ? -1 : p)).filter((p) => p >= 0)).toEqual(failed);
      const cIndex = metainfo.files.findIndex((f) => f.path.join('/') === 'sub/deeper/c.bin');
      expect(after.files.find((f) => f.fileIndex === cIndex)?.state).toBe('partial');
      await source.close();
    });
  }
});
