// Torrent creation speed: createTorrent (the logic behind `gtorr create`) against mktorrent
// on the same 1 GiB file, same piece length (1 MiB), same thread count (2), in the same run,
// each run swapping who goes first so that a noisy moment hurts both alike; medians.
// The file is made once in the temp dir and read through before timing, so both read from
// the page cache and the figure is hashing speed, not disk speed.
//
// Each of our runs is a fresh plain `node` process importing the built package (dist/), as
// `gtorr create` runs: hashing threads start cold, and no TypeScript loader (this script
// runs under tsx) slows their start. Two figures: createTorrent timed inside that process,
// and the whole process (Node's own start and module loading included), to set beside
// mktorrent's whole process.
// Run: pnpm bench (builds first), or `pnpm build && tsx bench/create.ts`; BENCH_RUNS=n for more runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const SIZE = 1024 ** 3;
const PIECE_LENGTH = 1 << 20;
const THREADS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) throw new Error('build first: pnpm --filter @gtorr/metainfo build');

const folder = join(tmpdir(), 'gtorr-bench-create');
const file = join(folder, '1gib.bin');
mkdirSync(folder, { recursive: true });
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

function prepare(): void {
  mkdirSync(folder, { recursive: true });
  if (!existsSync(file) || statSync(file).size !== SIZE) {
    const fd = openSync(file, 'w');
    const chunk = 16 * 1024 * 1024;
    for (let written = 0; written < SIZE; written += chunk) writeSync(fd, randomBytes(chunk));
    closeSync(fd);
  }
  // Read it all once so that every run finds it in the page cache.
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(16 * 1024 * 1024);
  for (let position = 0; position < SIZE; position += buffer.length) readSync(fd, buffer, 0, buffer.length, position);
  closeSync(fd);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
// A clean environment for children: no loader options inherited from tsx.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS'));

/** One createTorrent in a fresh node process: [ms inside, ms of the whole process]. */
function timeOurs(version: 1 | 2 | 'hybrid'): [number, number] {
  const start = process.hrtime.bigint();
  const inside = Number(execFileSync(process.execPath, [runner, String(version)], { env, encoding: 'utf8' }));
  return [inside, elapsed(start)];
}

function timeMktorrent(): number {
  const out = join(folder, 'mktorrent.torrent');
  rmSync(out, { force: true });
  const start = process.hrtime.bigint();
  // -l 20: 2^20-byte pieces; -t: hashing threads; -d: no date; -a: a tracker (it warns without).
  execFileSync('mktorrent', ['-l', '20', '-t', String(THREADS), '-d', '-a', 'http://127.0.0.1:1/announce', '-o', out, file], { stdio: 'ignore' });
  const ms = elapsed(start);
  rmSync(out, { force: true });
  return ms;
}

const hasMktorrent = spawnSync('sh', ['-c', 'command -v mktorrent'], { stdio: 'ignore' }).status === 0;
prepare();
// Warm-up: the package's files and mktorrent's binary into the page cache.
timeOurs(1);
if (hasMktorrent) timeMktorrent();
const inside: number[] = [];
const process_: number[] = [];
const theirs: number[] = [];
const hybrid: number[] = [];
const v2: number[] = [];
for (let run = 0; run < RUNS; run++) {
  if (run % 2 === 1 && hasMktorrent) theirs.push(timeMktorrent());
  const [ms, whole] = timeOurs(1);
  inside.push(ms);
  process_.push(whole);
  if (run % 2 === 0 && hasMktorrent) theirs.push(timeMktorrent());
}
for (let run = 0; run < RUNS; run++) {
  hybrid.push(timeOurs('hybrid')[0]);
  v2.push(timeOurs(2)[0]);
}

const rate = (ms: number) => `${(SIZE / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s`;
const row = (name: string, values: number[]) =>
  values.length > 0 ? `${name.padEnd(44)} ${median(values).toFixed(0).padStart(6)} ms  ${rate(median(values)).padStart(11)}   runs: ${values.map((v) => v.toFixed(0)).join(', ')}` : `${name.padEnd(44)} (mktorrent not installed)`;
console.log(`torrent creation, 1 GiB file (page-cached), 1 MiB pieces, ${THREADS} threads, medians of ${RUNS}`);
console.log(`${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (available parallelism ${availableParallelism()}), Node ${process.version}\n`);
console.log(row('gtorr createTorrent v1 (timed inside)', inside));
console.log(row('gtorr createTorrent v1 (whole node process)', process_));
console.log(row('mktorrent 1.1 -t 2 (whole process)', theirs));
console.log(row('gtorr createTorrent hybrid (timed inside)', hybrid));
console.log(row('gtorr createTorrent v2 (timed inside)', v2));
if (theirs.length > 0) {
  const ratio = (ours: number[]) => `${(median(theirs) / median(ours)).toFixed(2)}x`;
  console.log(`\nv1 vs mktorrent (> 1 is faster; target >= 1.00x): ${ratio(inside)} timed inside, ${ratio(process_)} whole process`);
}
