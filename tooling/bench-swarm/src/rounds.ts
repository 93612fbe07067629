// Interleaved rounds: every contender once per round, the starting one rotating, so that a
// noisy moment or a warm cache falls on all of them alike.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { atCleanup } from './cleanup.js';
import { measureRun, type RunResult, type Started } from './measure.js';
import { CACHE } from './paths.js';
import type { ContenderRuns } from './report.js';
import { sha1File } from './sha1.js';

export interface Contender {
  readonly name: string;
  /** Why it cannot run (shown as n/a), or undefined. */
  readonly missing?: string;
  /** Starts one download into the empty folder `dir`, under `prefix`. */
  start(dir: string, prefix: readonly string[]): Promise<Started>;
  /** Optional: figures taken around each run (a seeder's CPU time...). */
  around?(): { end(): Record<string, number> };
}

export interface RoundsOptions {
  readonly rounds: number;
  readonly runTimeoutMs: number;
  readonly verifyAll: boolean;
  /** The file a download must produce, relative to its folder, and its SHA-1. */
  readonly fileName: string;
  readonly sha1: string;
  readonly bytes: number;
  readonly log: (line: string) => void;
}

export async function runRounds(contenders: readonly Contender[], options: RoundsOptions): Promise<ContenderRuns[]> {
  const results = contenders.map((c) => ({ name: c.name, ...(c.missing === undefined ? {} : { missing: c.missing }), runs: [] as RunResult[] }));
  const active = contenders.map((c, i) => ({ c, i })).filter(({ c }) => c.missing === undefined);
  const runs = join(CACHE, 'runs', String(process.pid));
  atCleanup(() => rmSync(runs, { recursive: true, force: true }));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < active.length; k++) {
      const { c, i } = active[(round + k) % active.length]!;
      const dir = join(runs, `${c.name}-${round}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      settle();
      const figures = c.around?.();
      const run = await measureRun((prefix) => c.start(dir, prefix), options.runTimeoutMs, `${dir}.time`);
      const extra = figures?.end();
      if (extra) run.extra = extra;
      if (run.ok && (options.verifyAll || results[i]!.runs.every((r) => r.verified === undefined))) {
        run.verified = (await sha1File(join(dir, options.fileName)).catch(() => 'missing')) === options.sha1;
      }
      results[i]!.runs.push(run);
      rmSync(dir, { recursive: true, force: true });
      options.log(describe(round, options.rounds, c.name, run, options.bytes));
    }
  }
  return results;
}

/** Lets the last run's writes reach the disk, so they do not slow down the next run. */
function settle(): void {
  spawnSync('sync', { timeout: 120_000 });
}

function describe(round: number, rounds: number, name: string, run: RunResult, bytes: number): string {
  const head = `round ${round + 1}/${rounds} ${name.padEnd(12)}`;
  if (!run.ok) return `${head} FAILED: ${run.error?.split('\n')[0]}`;
  const speed = (bytes / run.wallSeconds / 2 ** 20).toFixed(1);
  const extra = run.extra ? ' ' + Object.entries(run.extra).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') : '';
  const check = run.verified === undefined ? '' : run.verified ? ', SHA-1 ok' : ', SHA-1 MISMATCH';
  return `${head} ${run.wallSeconds.toFixed(2)} s, ${speed} MiB/s, CPU ${(run.userSeconds + run.systemSeconds).toFixed(2)} s, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB${extra}${check}`;
}
