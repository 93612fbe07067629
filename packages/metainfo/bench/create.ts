// Torrent creation speed of the engine: createTorrent against mktorrent on the same 1 GiB file,
// same piece length (1 MiB), same thread count (2), in the same run, each run swapping who
// goes first so that a noisy moment hurts both alike; medians. The file is read through
// before timing, so both read from the page cache and the figure is hashing speed.
//
// Each of our runs is a fresh plain `node` process importing the built package (dist/), so
// hashing threads start cold as they do for a user; createTorrent is timed inside it, which
// leaves out Node's own start. The whole `gtorr create` process against mktorrent's is the
// CLI's benchmark (apps/cli/bench/create.ts).
// Run: pnpm bench (builds first), or `pnpm build && tsx bench/create.ts`; BENCH_RUNS=n for more runs.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, machine, median, pageCachedFile, plainNodeEnv, timeProcess } from '@gtorr/bench';

const SIZE = 1024 ** 3;
const PIECE_LENGTH = 1 << 20;
const THREADS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) throw new Error('build first: pnpm --filter @gtorr/metainfo build');

const folder = join(tmpdir(), 'gtorr-bench-create');
const file = pageCachedFile(join(folder, '1gib.bin'), SIZE);
// The script each of our runs executes: plain JavaScript, so plain node runs it.
const runner = join(folder, 'run-create.mjs');
writeFileSync(
  runner,
  `const { createTorrent } = await import(${JSON.stringify(dist.href)});
const version = process.argv[2] === 'hybrid' ? 'hybrid' : Number(process.argv[2]);
const start = performance.now();
const created = await createTorrent(${JSON.stringify(file)}, { version, pieceLength: ${PIECE_LENGTH}, threads: ${THREADS}, creationDate: null });
if (created.pieceCount !== ${SIZE / PIECE_LENGTH}) throw new Error('wrong piece count');
process.stdout.write(String(performance.now() - start));
`,
);

const env = plainNodeEnv();
/** One createTorrent in a fresh node process, timed inside it. */
const timeOurs = (version: 1 | 2 | 'hybrid') => Number(execFileSync(process.execPath, [runner, String(version)], { env, encoding: 'utf8', timeout: 120_000 }));

function timeMktorrent(): number {
  const out = join(folder, 'mktorrent.torrent');
  rmSync(out, { force: true });
  // -l 20: 2^20-byte pieces; -t: hashing threads; -d: no date; -a: a tracker (it warns without).
  const ms = timeProcess('mktorrent', ['-l', '20', '-t', String(THREADS), '-d', '-a', 'http://127.0.0.1:1/announce', '-o', out, file]);
  rmSync(out, { force: true });
  return ms;
}

const hasMktorrent = hasCommand('mktorrent');
// Warm-up: the package's files and mktorrent's binary into the page cache.
timeOurs(1);
if (hasMktorrent) timeMktorrent();
const inside: number[] = [];
const theirs: number[] = [];
const hybrid: number[] = [];
const v2: number[] = [];
for (let run = 0; run < RUNS; run++) {
  if (run % 2 === 1 && hasMktorrent) theirs.push(timeMktorrent());
  inside.push(timeOurs(1));
  if (run % 2 === 0 && hasMktorrent) theirs.push(timeMktorrent());
}
for (let run = 0; run < RUNS; run++) {
  hybrid.push(timeOurs('hybrid'));
  v2.push(timeOurs(2));
}

const rate = (ms: number) => `${(SIZE / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s`;
const row = (name: string, values: number[]) =>
  values.length > 0 ? `${name.padEnd(44)} ${median(values).toFixed(0).padStart(6)} ms  ${rate(median(values)).padStart(11)}   runs: ${values.map((v) => v.toFixed(0)).join(', ')}` : `${name.padEnd(44)} (mktorrent not installed)`;
console.log(`torrent creation, 1 GiB file (page-cached), 1 MiB pieces, ${THREADS} threads, medians of ${RUNS}`);
console.log(`${machine()} (available parallelism ${availableParallelism()})\n`);
console.log(row('gtorr createTorrent v1 (timed inside)', inside));
console.log(row('mktorrent 1.1 -t 2 (whole process)', theirs));
console.log(row('gtorr createTorrent hybrid (timed inside)', hybrid));
console.log(row('gtorr createTorrent v2 (timed inside)', v2));
if (theirs.length > 0) console.log(`\nv1 vs mktorrent (> 1 is faster): ${(median(theirs) / median(inside)).toFixed(2)}x`);
