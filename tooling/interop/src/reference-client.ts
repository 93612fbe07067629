import type { Milestone } from './milestone.js';
import type { ManagedProcess } from './process.js';

export type Role = 'seed' | 'leech';

/** What every reference-client helper (libtorrent, transmission, aria2) returns. */
export interface ReferenceClient<Ready = void, Done = void> {
  readonly process: ManagedProcess;
  /** Its BitTorrent TCP port on 127.0.0.1. */
  readonly port: number;
  /** Listening (leech), or listening with all data checked (seed). Bounded: rejects on timeout or exit. */
  readonly ready: Promise<Ready>;
  /** Every piece downloaded and verified (a seed is done once ready). Bounded like `ready`. */
  readonly done: Promise<Done>;
  /** The last progress it reported, 0 to 1. */
  progress(): number;
  /** Stops its process group (politely, then SIGKILL) and waits until it is gone. */
  stop(): Promise<void>;
}

/** Options every helper takes. */
export interface ReferenceClientOptions {
  /** Where the data is (seed) or goes (leech): the torrent's name is a folder or file inside. */
  readonly saveDir: string;
  readonly role: Role;
  /** TCP port on 127.0.0.1; a free one when left out. */
  readonly port?: number;
  /** Bound on `ready` (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** Bound on `done` (default 120 s). */
  readonly doneTimeoutMs?: number;
  /**
   * A command to run the client under, e.g. `['/usr/bin/time', '-o', file, '-f', '%U %S %M']`
   * to measure it. It must exec or wait for the client and stay in its process group.
   */
  readonly prefix?: readonly string[];
}

export const DEFAULT_READY_TIMEOUT_MS = 30_000;
export const DEFAULT_DONE_TIMEOUT_MS = 120_000;

/** `[command, args]` with `prefix` put in front. */
export function withPrefix(prefix: readonly string[] | undefined, command: string, args: readonly string[]): [string, string[]] {
  const all = [...(prefix ?? []), command, ...args];
  return [all[0]!, all.slice(1)];
}

/**
 * The `ReferenceClient` around a started process and its two milestones: `stop()` stops the
 * process group with `signal` (SIGKILL after `graceMs`), then rejects whichever milestone is
 * still open with "`name` was stopped".
 */
export function referenceClient<Ready, Done>(parts: {
  readonly name: string;
  readonly process: ManagedProcess;
  readonly port: number;
  readonly ready: Milestone<Ready>;
  readonly done: Milestone<Done>;
  readonly progress: () => number;
  readonly signal: NodeJS.Signals;
  readonly graceMs: number;
}): ReferenceClient<Ready, Done> {
  const { name, process, ready, done } = parts;
  return {
    process,
    port: parts.port,
    ready: ready.promise,
    done: done.promise,
    progress: parts.progress,
    async stop() {
      await process.stop(parts.signal, parts.graceMs);
      ready.reject(new Error(`${name} was stopped`));
      done.reject(new Error(`${name} was stopped`));
    },
  };
}
