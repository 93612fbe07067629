// One measured run of a downloader: wall time from spawn to exit (our clock), CPU time
// and peak RSS from GNU time, which gets them from wait4() over the whole process tree
// it waited for (RSS: the largest single process, not a sum).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { ManagedProcess } from '@gtorr/interop';

export const GNU_TIME = '/usr/bin/time';
const MARK = 'gtorr-bench-time';

export interface RunResult {
  readonly ok: boolean;
  /** Why it failed, when it did. */
  readonly error?: string;
  readonly wallSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly peakRssBytes: number;
  /** SHA-1 of the downloaded file matched, when it was checked. */
  verified?: boolean;
  /** Figures taken around the run by the contender (a seeder's CPU time...). */
  extra?: Record<string, number>;
}

export interface Started {
  readonly process: ManagedProcess;
  /** Settles when the client says it finished (or failed); its exit is awaited too. */
  readonly finished: Promise<unknown>;
}

export function checkGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian's package "time" (GNU time measures CPU time and peak RSS)`);
}

/**
 * Starts a client through `start(prefix)` (put `prefix` in front of its command), waits
 * until it finished and exited (at most `timeoutMs`), and reads GNU time's figures, which
 * it writes to `timeFile` (removed afterwards).
 */
export async function measureRun(start: (prefix: readonly string[]) => Promise<Started>, timeoutMs: number, timeFile: string): Promise<RunResult> {
  const prefix = [GNU_TIME, '-o', timeFile, '-f', `${MARK} %e %U %S %M`];
  const begin = process.hrtime.bigint();
  const started = await start(prefix);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${timeoutMs} ms`)), timeoutMs);
  });
  let error: string | undefined;
  let code: number | null = null;
  try {
    await Promise.race([started.finished, timeout]);
    code = await Promise.race([started.process.exited, timeout]);
    if (code !== 0) error = `exit code ${code}`;
  } catch (cause) {
    error = (cause as Error).message.split('\n')[0];
  } finally {
    clearTimeout(timer);
  }
  const wallSeconds = Number(process.hrtime.bigint() - begin) / 1e9;
  await started.process.stop('SIGKILL', 0);
  const figures = readTime(timeFile);
  rmSync(timeFile, { force: true });
  if (error === undefined && figures === undefined) error = 'GNU time wrote no figures';
  if (error !== undefined) error += `\n${started.process.output().slice(-2000)}`;
  return {
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    wallSeconds,
    userSeconds: figures?.user ?? NaN,
    systemSeconds: figures?.system ?? NaN,
    peakRssBytes: figures === undefined ? NaN : figures.maxRssKiB * 1024,
  };
}

function readTime(file: string): { user: number; system: number; maxRssKiB: number } | undefined {
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(MARK));
  if (line === undefined) return undefined;
  const [, , user, system, rss] = line.trim().split(/\s+/).map(Number);
  return { user: user!, system: system!, maxRssKiB: rss! };
}
