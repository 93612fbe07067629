// Medians of the rounds, as a markdown table and as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { machine, median } from '@gtorr/bench';
import type { BenchTorrent } from './fixture.js';
import { formatSize } from './options.js';
import { CACHE } from './paths.js';
import type { RunResult } from './measure.js';

export interface ContenderRuns {
  readonly name: string;
  /** Why it did not run at all ("n/a"), when it did not. */
  readonly missing?: string;
  readonly runs: RunResult[];
}

export interface Summary {
  readonly name: string;
  readonly ok: number;
  readonly failed: number;
  readonly wallSeconds: number;
  readonly wallMin: number;
  readonly wallMax: number;
  readonly bytesPerSecond: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  /** true: every checked download matched; false: one did not; undefined: none checked. */
  readonly verified: boolean | undefined;
}

/** Medians over the successful runs of one contender (NaN when none succeeded). */
export function summarize(contender: ContenderRuns, bytes: number): Summary {
  const ok = contender.runs.filter((r) => r.ok);
  const of = (pick: (r: RunResult) => number) => (ok.length === 0 ? NaN : median(ok.map(pick)));
  const checked = contender.runs.filter((r) => r.verified !== undefined);
  const wall = ok.map((r) => r.wallSeconds);
  return {
    name: contender.name,
    ok: ok.length,
    failed: contender.runs.length - ok.length,
    wallSeconds: of((r) => r.wallSeconds),
    wallMin: Math.min(...wall),
    wallMax: Math.max(...wall),
    bytesPerSecond: bytes / of((r) => r.wallSeconds),
    cpuSeconds: of((r) => r.userSeconds + r.systemSeconds),
    peakRssBytes: of((r) => r.peakRssBytes),
    verified: checked.length === 0 ? undefined : checked.every((r) => r.verified === true),
  };
}

export const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');
export const mib = (bytes: number): string => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(0) : '-');

/** A markdown table, its columns padded so it reads as well in a terminal. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export interface Report {
  readonly benchmark: 'download' | 'seed';
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Notes printed after the machine and load line (and before the "n/a" ones). */
  readonly notes: readonly string[];
  readonly torrent: BenchTorrent;
  readonly rounds: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  /** The JSON file; a dated one under the cache's `results` folder when left out. */
  readonly out: string | undefined;
  /** The JSON key of the per-contender results. */
  readonly key: 'contenders' | 'seeders';
  /** The per-contender results; those that did not run get an "n/a" note. */
  readonly summaries: readonly { readonly name: string; readonly missing?: string | undefined }[];
}

/** Prints the report's table and notes, and writes it as JSON. Returns the JSON file's path. */
export function publishReport(report: Report): string {
  const { torrent, loadBefore, loadAfter } = report;
  const notes = [
    `Machine: ${machine()}. Load average before ${loadBefore[0]!.toFixed(2)}, after ${loadAfter[0]!.toFixed(2)}.`,
    ...report.notes,
    ...report.summaries.filter((s) => s.missing !== undefined).map((s) => `${s.name}: n/a, ${s.missing}.`),
  ];
  console.log(`\n${report.title}\n\n${markdownTable(report.header, report.rows)}\n\n${notes.join('\n')}`);
  const out = report.out ?? join(CACHE, 'results', `${report.benchmark}-${formatSize(torrent.length)}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeJson(out, {
    benchmark: report.benchmark,
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: { before: loadBefore, after: loadAfter },
    torrent: { name: torrent.name, length: torrent.length, pieceLength: torrent.pieceLength, infoHash: torrent.infoHash },
    rounds: report.rounds,
    [report.key]: report.summaries,
  });
  return out;
}
