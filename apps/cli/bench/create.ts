// `gtorr create` against mktorrent, as a user runs them: whole processes, on the same 1 GiB
// file (page-cached, so the figure is hashing and not the disk), 1 MiB pieces, 2 hashing
// threads each, in the same run, interleaved and alternating who goes first; medians.
//
// Two more rows explain the gap between the two: `node -e 0`, the least any Node program
// pays on this machine to start and stop, and `gtorr create` without NODE_EXTRA_CA_CERTS
// when the environment sets it (Node 20 reads and parses that file at every start, ~60 ms
// here; mktorrent never reads it). The engine alone is timed in @gtorr/metainfo's benchmark.
// Run: pnpm bench (builds first), or `pnpm build && tsx bench/create.ts`; BENCH_RUNS=n.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasCommand, machine, median, pageCachedFile, plainNodeEnv, table, timeProcess } from '@gtorr/bench';
import { parseTorrent } from '@gtorr/metainfo';

const SIZE = 1024 ** 3;
const PIECE_LOG = 20;
const THREADS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TRACKER = 'http://127.0.0.1:1/announce';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const folder = join(tmpdir(), 'gtorr-bench-create');
const file = pageCachedFile(join(folder, '1gib.bin'), SIZE);
const ours = join(folder, 'gtorr.torrent');
const theirs = join(folder, 'mktorrent.torrent');

const env = plainNodeEnv();
const caFile = env.NODE_EXTRA_CA_CERTS;
const gtorrArgs = [bin, 'create', file, '--piece-length', `${2 ** PIECE_LOG}`, '--threads', `${THREADS}`, '--no-date', '-t', TRACKER, '-o', ours, '--force'];

interface Contender {
  readonly name: string;
  readonly run: () => number;
}

const contenders: Contender[] = [
  { name: `gtorr create --threads ${THREADS}`, run: () => timeProcess(process.execPath, gtorrArgs, { env }) },
  {
    name: `mktorrent -t ${THREADS}`,
    run: () => {
      rmSync(theirs, { force: true });
      // -l: log2 of the piece length; -d: no date; -a: a tracker (it warns without one).
      return timeProcess('mktorrent', ['-l', `${PIECE_LOG}`, '-t', `${THREADS}`, '-d', '-a', TRACKER, '-o', theirs, file]);
    },
  },
  { name: 'node -e 0 (start and exit, nothing else)', run: () => timeProcess(process.execPath, ['-e', '0'], { env }) },
];
if (caFile !== undefined) {
  const bare = plainNodeEnv(['NODE_EXTRA_CA_CERTS']);
  contenders.push(
    { name: `gtorr create, without NODE_EXTRA_CA_CERTS`, run: () => timeProcess(process.execPath, gtorrArgs, { env: bare }) },
    { name: 'node -e 0, without NODE_EXTRA_CA_CERTS', run: () => timeProcess(process.execPath, ['-e', '0'], { env: bare }) },
  );
}
if (!hasCommand('mktorrent')) {
  console.log('mktorrent is not installed (apt-get install mktorrent): nothing to compare with');
  process.exit(0);
}

// Warm-up: binaries and modules into the page cache.
for (const c of contenders) c.run();
const times = contenders.map(() => [] as number[]);
for (let run = 0; run < RUNS; run++) {
  const order = run % 2 === 0 ? contenders.map((_, i) => i) : contenders.map((_, i) => i).reverse();
  for (const i of order) times[i]!.push(contenders[i]!.run());
}

// Same file, same piece length: the piece hashes must match byte for byte.
const ourPieces = parseTorrent(readFileSync(ours)).pieces;
const theirPieces = parseTorrent(readFileSync(theirs)).pieces;
if (!ourPieces || !theirPieces || Buffer.compare(ourPieces, theirPieces) !== 0) throw new Error('gtorr and mktorrent disagree on the piece hashes');
rmSync(ours, { force: true });
rmSync(theirs, { force: true });

const ms = times.map(median);
const rate = (t: number) => `${(SIZE / 2 ** 20 / (t / 1000)).toFixed(0)} MiB/s`;
console.log(`gtorr create vs mktorrent: 1 GiB file (page-cached), 1 MiB pieces, ${THREADS} threads, whole processes, medians of ${RUNS}`);
console.log(`${machine()}${caFile === undefined ? '' : `; NODE_EXTRA_CA_CERTS=${caFile}`}\n`);
console.log(
  table(
    ['contender', 'median', 'rate', 'runs (ms)'],
    contenders.map((c, i) => [c.name, `${ms[i]!.toFixed(0)} ms`, i < 2 || c.name.startsWith('gtorr') ? rate(ms[i]!) : '-', times[i]!.map((t) => t.toFixed(0)).join(', ')]),
  ),
);
console.log(`\ngtorr create vs mktorrent (> 1 is faster; target >= 1.00x): ${(ms[1]! / ms[0]!).toFixed(2)}x`);
if (caFile !== undefined) console.log(`without NODE_EXTRA_CA_CERTS: ${(ms[1]! / ms[3]!).toFixed(2)}x`);
console.log(`gtorr create less Node's own start and exit: ${(ms[0]! - ms[2]!).toFixed(0)} ms, against mktorrent's ${ms[1]!.toFixed(0)} ms`);
