// Benchmarks report throughput over fixed inputs: run a function for a while, several
// rounds, interleaving the contenders so that a noisy moment hurts them alike, and keep
// the median round.
import { cpus } from 'node:os';

export interface Contender {
  readonly name: string;
  /** One operation; its result is kept alive so the work cannot be optimised away. */
  readonly run: () => unknown;
}

export interface Measurement {
  readonly name: string;
  /** Median operations per second over the rounds. */
  readonly opsPerSecond: number;
  /** Median bytes per second, when the case has a byte size. */
  readonly bytesPerSecond: number | undefined;
}

let sink: unknown;

function timeRound(run: () => unknown, minMs: number): number {
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    for (let i = 0; i < 8; i++) sink = run();
    ops += 8;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < minMs);
  return (ops * 1000) / elapsed;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs each contender for `rounds` rounds of at least `minMs`, interleaved, after a warm-up. */
export function compare(contenders: readonly Contender[], options: { bytes?: number; rounds?: number; minMs?: number } = {}): Measurement[] {
  const rounds = options.rounds ?? 5;
  const minMs = options.minMs ?? 300;
  for (const c of contenders) timeRound(c.run, 100);
  const results = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, i) => results[i]!.push(timeRound(c.run, minMs)));
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return contenders.map((c, i) => {
    const ops = median(results[i]!);
    return { name: c.name, opsPerSecond: ops, bytesPerSecond: options.bytes === undefined ? undefined : ops * options.bytes };
  });
}

/** A plain-text table: one row per entry, columns padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function mibPerSecond(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? '-' : `${(bytesPerSecond / 2 ** 20).toFixed(1)} MiB/s`;
}

/** One line naming the machine, for the figures to be read against. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
}

export { hasCommand, pageCachedFile, plainNodeEnv, timeProcess } from './processes.js';
