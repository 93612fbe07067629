// Whole-process timings, for benchmarks that set one of our commands beside a native tool:
// a file of random bytes read through once so every contender finds it in the page cache,
// and the wall time of one child process.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `path` hold `size` random bytes (kept if it already does), then reads it all once. */
export function pageCachedFile(path: string, size: number): string {
  mkdirSync(dirname(path), { recursive: true });
  const chunk = 16 * 1024 * 1024;
  if (!existsSync(path) || statSync(path).size !== size) {
    const fd = openSync(path, 'w');
    try {
      for (let written = 0; written < size; written += chunk) writeSync(fd, randomBytes(Math.min(chunk, size - written)));
    } finally {
      closeSync(fd);
    }
  }
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(chunk);
  try {
    for (let position = 0; position < size; position += chunk) readSync(fd, buffer, 0, chunk, position);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Milliseconds from spawning `file` to its exit; throws if it fails or outlives `timeoutMs`. */
export function timeProcess(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): number {
  const start = process.hrtime.bigint();
  execFileSync(file, args, { env: options.env ?? process.env, stdio: 'ignore', timeout: options.timeoutMs ?? 120_000, killSignal: 'SIGKILL' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Whether `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The environment of a child node process: without the loader options of tsx, which runs the benchmark. */
export function plainNodeEnv(without: readonly string[] = []): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !without.includes(key)));
}
