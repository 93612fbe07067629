// Every process a benchmark starts is stopped at the end, also on Ctrl-C, SIGTERM or a crash.
import { stopAll } from '@gtorr/interop';

const tasks: (() => unknown)[] = [];
let running: Promise<void> | undefined;

/** Registers `task` (stop a client, remove a folder) to run at the end, latest first. */
export function atCleanup(task: () => unknown): void {
  tasks.push(task);
}

/**
 * Once: kills every process still running (their process groups), then runs the
 * registered tasks (bounded: 15 s), so that no folder is removed while a client still writes.
 */
export function cleanup(): Promise<void> {
  running ??= (async () => {
    await stopAll();
    const all = Promise.allSettled(tasks.reverse().map(async (task) => task()));
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  })();
  return running;
}

/** Cleans up before exiting on SIGINT/SIGTERM/SIGHUP and on an uncaught error. */
export function cleanUpOnExit(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every client...\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  const fail = (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    void cleanup().finally(() => process.exit(1));
  };
  process.once('uncaughtException', fail);
  process.once('unhandledRejection', fail);
}
