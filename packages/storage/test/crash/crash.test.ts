// SIGKILL at random moments must never leave the resume file claiming a piece that is not
// fully on disk. A child process (writer.ts) writes, damages, verifies and saves in a loop;
// the test kills it, then reads every claimed piece straight from the files, with plain
// node:fs and the torrent's known content, and compares. 20 kills, each bounded in time.
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, waitFor } from '@gtorr/interop';
import { afterAll, describe, expect, it } from 'vitest';
import { ResumeStore } from '../../src/index.js';
import { crashTorrent } from './torrent.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const writer = fileURLToPath(new URL('./writer.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** What the files hold for piece `piece` (zeros where a file is absent or short), read with plain fs. */
function onDisk(dir: string, metainfo: Awaited<ReturnType<typeof crashTorrent>>['metainfo'], piece: number): Uint8Array {
  const start = piece * metainfo.pieceLength;
  const out = new Uint8Array(Math.min(metainfo.pieceLength, metainfo.length - start));
  for (const file of metainfo.files) {
    const from = Math.max(start, file.offset);
    const to = Math.min(start + out.length, file.offset + file.length);
    if (to <= from || file.padding) continue;
    let fd: number;
    try {
      fd = openSync(join(dir, metainfo.name, ...file.path), 'r');
    } catch {
      continue;
    }
    readSync(fd, out, from - start, to - from, from - file.offset);
    closeSync(fd);
  }
  return out;
}

describe('crash safety (SIGKILL)', () => {
  it('never leaves a piece claimed verified that is not fully on disk, over 20 kills', { timeout: 120_000 }, async () => {
    const t = await crashTorrent();
    const dir = join(root, 'data');
    const resumePath = join(root, 'crash.resume');
    const store = new ResumeStore(resumePath);
    let claimedTotal = 0;
    let damagedSeen = 0;
    const outcomes = new Set<string>();
    for (let round = 0; round < 20; round++) {
      // tsx resolves from the package folder (the root devDependency).
      const child = startProcess(process.execPath, ['--import', 'tsx', writer, dir, resumePath, String(round * 7919 + 1)], { cwd: packageDir });
      try {
        const ready = await waitFor('the writer to start', () => /ready (\w+)/.exec(child.output()) ?? undefined, 30_000, 20);
        outcomes.add(ready[1]!);
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 250)));
      } finally {
        await child.stop('SIGKILL', 0);
      }
      expect(child.output()).not.toMatch(/Error/);
      const resume = await store.load();
      if (resume === undefined) continue;
      const wrong = [...resume.verified.indices()].filter((piece) => !equal(onDisk(dir, t.metainfo, piece), t.pieceData(piece)));
      expect(wrong, `round ${round}: pieces claimed verified that are not on disk`).toEqual([]);
      claimedTotal += resume.verified.count();
      for (let piece = 0; piece < t.metainfo.pieceCount; piece++) if (!resume.verified.get(piece) && !equal(onDisk(dir, t.metainfo, piece), t.pieceData(piece))) damagedSeen++;
    }
    // The test means something only if claims were made and kills caught pieces half done.
    expect(claimedTotal).toBeGreaterThan(20);
    expect(damagedSeen).toBeGreaterThan(0);
    expect(outcomes.has('partial') || outcomes.has('trusted')).toBe(true);
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
