import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';

/** A child process started in its own process group, stopped by that group's id. */
export interface ManagedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr interleaved), for failure messages. */
  output(): string;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /**
   * Sends `signal` to the whole group, then SIGKILL after `graceMs`; resolves once it is gone
   * and its `removeAfterStop` folders are removed.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface StartProcessOptions extends SpawnOptions {
  /**
   * Folders the process owns (its config, its state), removed once it is gone, whoever stops
   * it (`stop()`, `stopAll()`, the test runner's exit), unless GTORR_INTEROP_KEEP=1.
   */
  readonly removeAfterStop?: readonly string[];
}

/** Every process not stopped yet, with the folders it owns. */
const running = new Map<ManagedProcess, readonly string[]>();

/** Starts `command` in a new process group (like setsid) so that stop() reaches its children too. */
export function startProcess(command: string, args: readonly string[], options: StartProcessOptions = {}): ManagedProcess {
  const { removeAfterStop = [], ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      log += `\nspawn error: ${error.message}`;
      resolve(null);
    });
  });
  const pid = child.pid ?? -1;
  const managed: ManagedProcess = {
    child,
    pid,
    output: () => log,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null && pid > 0) {
        killGroup(pid, signal);
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // The leader may be gone while others in its group linger.
      killGroup(pid, 'SIGKILL');
      running.delete(managed);
      removeFolders(removeAfterStop);
    },
  };
  running.set(managed, removeAfterStop);
  return managed;
}

function removeFolders(paths: readonly string[]): void {
  // Kept on request, to read a client's config, logs and resume files after a failure.
  if (process.env.GTORR_INTEROP_KEEP === '1') return;
  // Retries: a group member killed a moment ago may still be closing files in it.
  for (const path of paths) rmSync(path, { recursive: true, force: true, maxRetries: 3 });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Stops every process started here that was not stopped yet (for afterAll hooks), and
 * removes the folders they own (see `removeAfterStop`).
 */
export async function stopAll(): Promise<void> {
  await Promise.all([...running.keys()].map((p) => p.stop('SIGKILL', 0)));
}

// A test runner that dies must not leave reference clients behind.
process.once('exit', () => {
  for (const p of running.keys()) killGroup(p.pid, 'SIGKILL');
  for (const paths of running.values()) removeFolders(paths);
});
