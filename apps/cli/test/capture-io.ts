import type { Io } from '../src/io.js';

export interface CapturedIo extends Io {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/** An `Io` whose output the test reads back: no terminal unless `tty`, a fresh signal unless given. */
export function captureIo(options: { cwd?: string; tty?: boolean; signal?: AbortSignal } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t), isTTY: options.tty === true },
    env: {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}
