// Checking a 1 GiB file (page-cached, 1 MiB pieces, v1) with checkTorrent on every core,
// beside `openssl sha1` over the same file in the same run: 3 runs each, interleaved,
// medians. The file and its torrent are made once into a temp folder and kept for later
// runs (delete os.tmpdir()/gtorr-storage-bench to start over). Run: pnpm bench (here).
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, median, table } from '@gtorr/bench';
import { createTorrent, parseTorrent } from '@gtorr/metainfo';
import type * as Storage from '../src/index.js';
// The built package (turbo builds it before bench), as users run it: its workers start
// from dist/hash-worker.js, not through tsx. Typed from the sources, so that type-checking
// the bench needs no build.
const built = '@gtorr/storage';
const { checkTorrent, FileStorage } = (await import(built)) as typeof Storage;

const SIZE = 1024 * 1024 * 1024;
const PIECE = 1024 * 1024;
const RUNS = 3;
const dir = join(tmpdir(), 'gtorr-storage-bench');
const dataPath = join(dir, 'data.bin');

async function prepare(version: 1 | 2): Promise<Uint8Array> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(dataPath) || statSync(dataPath).size !== SIZE) {
    console.log(`writing ${dataPath} (1 GiB of random bytes)...`);
    const fd = openSync(dataPath, 'w');
    const chunk = new Uint8Array(16 * PIECE);
    for (let at = 0; at < SIZE; at += chunk.length) writeSync(fd, randomFillSync(chunk));
    closeSync(fd);
  }
  const torrentPath = join(dir, `data-v${version}.torrent`);
  if (!existsSync(torrentPath)) {
    console.log(`making ${torrentPath}...`);
    writeFileSync(torrentPath, (await createTorrent(dataPath, { version, pieceLength: PIECE, creationDate: null })).torrent);
  }
  return readFileSync(torrentPath);
}

/** Reads the file once so that every contender finds it in the page cache. */
function warmCache(): void {
  const fd = openSync(dataPath, 'r');
  const buffer = new Uint8Array(16 * PIECE);
  while (readSync(fd, buffer) > 0);
  closeSync(fd);
}

function openssl(): number {
  const start = performance.now();
  const run = spawnSync('openssl', ['sha1', dataPath], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return performance.now() - start;
}

async function check(torrent: Uint8Array, workers?: number): Promise<number> {
  const storage = new FileStorage(parseTorrent(torrent), dir, { readOnly: true });
  const start = performance.now();
  const result = await checkTorrent(storage, workers === undefined ? {} : { workers });
  const elapsed = performance.now() - start;
  await storage.close();
  if (!result.complete) throw new Error('the bench data did not check complete');
  return elapsed;
}

const v1 = await prepare(1);
const v2 = await prepare(2);
warmCache();
const contenders: [string, () => number | Promise<number>][] = [
  ['openssl sha1 (1 thread)', openssl],
  [`checkTorrent v1 (${availableParallelism()} workers)`, () => check(v1)],
  ['checkTorrent v1 (calling thread only)', () => check(v1, 0)],
  [`checkTorrent v2 (${availableParallelism()} workers)`, () => check(v2)],
];
const times = contenders.map(() => [] as number[]);
for (let run = 0; run < RUNS; run++) {
  for (const [i, [, measure]] of contenders.entries()) times[i]!.push(await measure());
}
const medians = times.map(median);
const base = medians[0]!;
const rows = contenders.map(([name], i) => [name, `${(medians[i]! / 1000).toFixed(3)} s`, `${((SIZE / 2 ** 20) / (medians[i]! / 1000)).toFixed(0)} MiB/s`, `${(base / medians[i]!).toFixed(2)}x`]);
console.log(`\nchecking 1 GiB, page-cached, 1 MiB pieces; median of ${RUNS} runs; ${machine()}\n`);
console.log(table(['contender', 'time', 'throughput', 'vs openssl'], rows));
