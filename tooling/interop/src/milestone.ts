import type { ManagedProcess } from './process.js';

/**
 * A one-shot promise about a running reference client ("ready", "done") with a bound:
 * it rejects after `timeoutMs`, and when the process ends before it was settled (with
 * `onClose` deciding first, e.g. exit code 0 meaning "done" for aria2c). The rejection
 * carries the end of the process's output. A rejection nobody awaits is never reported
 * as unhandled: tests and benchmarks await only the milestones they need.
 */
export interface Milestone<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
  readonly settled: boolean;
}

export function milestone<T>(what: string, process: ManagedProcess, timeoutMs: number, onClose?: (code: number | null) => { value: T } | undefined): Milestone<T> {
  let settled = false;
  let resolveFn!: (value: T) => void;
  let rejectFn!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    resolveFn = resolve;
    rejectFn = reject;
  });
  promise.catch(() => undefined);
  const tail = () => process.output().slice(-4000);
  const timer = setTimeout(() => settle(() => rejectFn(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\noutput:\n${tail()}`))), timeoutMs);
  timer.unref();
  function settle(action: () => void): void {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    action();
  }
  // 'close' comes after the last output was read, so a line printed just before exiting
  // (aria2c's result, libtorrent's "done") is seen first.
  process.child.once('close', (code: number | null) => {
    if (settled) return;
    const outcome = onClose?.(code);
    if (outcome !== undefined) settle(() => resolveFn(outcome.value));
    else settle(() => rejectFn(new Error(`${what}: the process ended first (exit code ${code})\noutput:\n${tail()}`)));
  });
  return {
    promise,
    resolve: (value) => settle(() => resolveFn(value)),
    reject: (error) => settle(() => rejectFn(error)),
    get settled() {
      return settled;
    },
  };
}
