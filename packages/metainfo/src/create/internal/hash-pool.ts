// Runs hashing jobs on the calling thread and on worker threads together, each thread
// reading its own file ranges. The calling thread starts at once and takes a job whenever it
// is free, yielding to the event loop between jobs; workers join as soon as they have
// started (which takes tens of milliseconds), so no core waits for a thread to boot.
// Results come back in job order whatever order the threads finish in.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FileChangedError, hashJob, type HashSettings, type JobHashes, type ReadFile } from './hash-range.js';
import type { HashJob } from './layout.js';
import type { WorkerInit, WorkerReply } from './worker-protocol.js';

export type HashSource = { readonly paths: readonly string[] } | { readonly read: ReadFile; readonly describe: (file: number) => string };

export interface PoolOptions {
  /** Hashing threads in all, the calling thread included when `callingThread`. At least 1. */
  readonly threads: number;
  /** Whether the calling thread hashes too (else only workers do, and the event loop stays free). */
  readonly callingThread: boolean;
  /** Bytes per read (a multiple of 16 KiB). */
  readonly chunkSize: number;
  readonly signal?: AbortSignal | undefined;
  /** Told the bytes of the byte space hashed so far, after each job. */
  readonly onProgress?: ((bytesHashed: number) => void) | undefined;
}

// Jobs a worker holds at once: the next one waits in its queue while it hashes the current
// one, so it never idles while the calling thread is busy hashing and cannot answer.
const WORKER_QUEUE = 2;
// A thread that does not stop within this long after being told to is terminated anyway.
const STOP_GRACE_MS = 2000;

export async function hashJobs(jobs: readonly HashJob[], settings: HashSettings, source: HashSource, options: PoolOptions): Promise<JobHashes[]> {
  options.signal?.throwIfAborted();
  const results = new Array<JobHashes>(jobs.length);
  let next = 0;
  let finished = 0;
  let hashed = 0;
  const take = () => (next < jobs.length ? next++ : undefined);
  const record = (id: number, hashes: JobHashes) => {
    results[id] = hashes;
    finished++;
    hashed += jobs[id]!.bytes;
    options.onProgress?.(hashed);
  };

  const wanted = Math.min(options.threads - (options.callingThread ? 1 : 0), jobs.length);
  const entry = wanted > 0 && 'paths' in source ? workerEntry() : undefined;
  const pool = entry && 'paths' in source ? new WorkerPool(entry, { paths: source.paths, settings, chunkSize: options.chunkSize, abortFlag: new SharedArrayBuffer(4) }, jobs, wanted, take, () => next, record) : undefined;
  // Without workers, the calling thread does it all, whatever was asked.
  const callingThread = options.callingThread || !pool;

  const onAbort = () => pool?.fail(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (callingThread) {
      const inline = new InlineHasher(settings, source, options.chunkSize);
      for (let id = take(); id !== undefined; id = take()) {
        // Between jobs the event loop runs: worker replies, timers, an abort.
        await yieldToEventLoop();
        options.signal?.throwIfAborted();
        pool?.throwIfFailed();
        record(id, inline.hash(jobs[id]!));
      }
    }
    if (pool) await pool.finished(() => finished === jobs.length);
    options.signal?.throwIfAborted();
    return results;
  } catch (error) {
    pool?.fail(error);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool?.stop();
  }
}

/** Hashing on the calling thread: one reusable buffer, files opened per job. */
class InlineHasher {
  private readonly buffer: Buffer;
  private readonly zeros: Buffer;

  constructor(
    private readonly settings: HashSettings,
    private readonly source: HashSource,
    chunkSize: number,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkSize);
    this.zeros = Buffer.alloc(Math.min(chunkSize, settings.pieceLength));
  }

  hash(job: HashJob): JobHashes {
    const { source } = this;
    const open = new Map<number, number>();
    const read: ReadFile =
      'read' in source
        ? source.read
        : (file, position, into) => {
            let fd = open.get(file);
            if (fd === undefined) {
              fd = openSync(source.paths[file]!, 'r');
              open.set(file, fd);
            }
            return readSync(fd, into, 0, into.length, position);
          };
    try {
      return hashJob(job, this.settings, read, this.buffer, this.zeros);
    } catch (error) {
      throw error instanceof FileChangedError ? changedError(error.file, source) : error;
    } finally {
      for (const fd of open.values()) closeSync(fd);
    }
  }
}

interface WorkerEntry {
  readonly script: string | URL;
  readonly eval: boolean;
}

/** Worker threads pulling jobs from the shared queue until it is empty or something fails. */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly started = new Set<Worker>();
  /** Jobs sent to each worker and not yet answered. */
  private readonly outstanding = new Map<Worker, number>();
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private readonly abortFlag: Int32Array;
  private stopped: Promise<void> | undefined;

  constructor(
    entry: WorkerEntry,
    private readonly init: WorkerInit,
    private readonly jobs: readonly HashJob[],
    count: number,
    private readonly take: () => number | undefined,
    private readonly nextJob: () => number,
    private readonly record: (id: number, hashes: JobHashes) => void,
  ) {
    this.abortFlag = new Int32Array(init.abortFlag);
    for (let i = 0; i < count; i++) this.spawn(entry);
  }

  private spawn(entry: WorkerEntry): void {
    const worker = new Worker(entry.script, { eval: entry.eval, workerData: this.init });
    this.workers.push(worker);
    this.outstanding.set(worker, 0);
    worker.on('message', (reply: WorkerReply | 'started') => {
      if (reply === 'started') {
        this.started.add(worker);
        this.feed(worker);
      } else {
        this.outstanding.set(worker, this.outstanding.get(worker)! - 1);
        if (reply.error) this.fail(threadError(reply.error, { paths: this.init.paths }));
        else if (!this.failure) {
          try {
            this.record(reply.id, { v1: reply.v1, v2: reply.v2 });
            this.feed(worker);
          } catch (error) {
            // A throwing progress callback must fail the work, not the process.
            this.fail(error);
          }
        }
      }
      this.wake?.();
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => {
      this.outstanding.set(worker, 0);
      if (!this.stopped) this.fail(new Error('a hashing thread stopped unexpectedly'));
      this.wake?.();
    });
  }

  private feed(worker: Worker): void {
    // Near the end a queued job could leave the other threads idle while this one works
    // through it; from there on each worker holds one job at a time.
    const depth = this.jobs.length - this.nextJob() > this.workers.length * WORKER_QUEUE + 1 ? WORKER_QUEUE : 1;
    while (!this.failure && this.outstanding.get(worker)! < depth) {
      const id = this.take();
      if (id === undefined) return;
      this.outstanding.set(worker, this.outstanding.get(worker)! + 1);
      worker.postMessage({ id, job: this.jobs[id] });
    }
  }

  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    Atomics.store(this.abortFlag, 0, 1);
    this.wake?.();
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Resolves once `done()` holds, rejects on the first failure. */
  async finished(done: () => boolean): Promise<void> {
    while (!done()) {
      this.throwIfFailed();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /**
   * Tells busy threads to stop (they see the flag at their next read and close their files)
   * and waits for their answers; then ends every thread. Once no thread holds a job, none
   * holds a file, so ending them is not waited for: after a successful run that would only
   * add the time threads take to tear down. A thread still starting has opened nothing.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      Atomics.store(this.abortFlag, 0, 1);
      const deadline = Date.now() + STOP_GRACE_MS;
      const busy = () => this.workers.some((w) => this.started.has(w) && this.outstanding.get(w)! > 0);
      while (busy() && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 50).unref();
        });
        this.wake = undefined;
      }
      for (const worker of this.workers) {
        worker.unref();
        void worker.terminate();
      }
    })();
    return this.stopped;
  }
}

/**
 * The worker script: `hash-worker.js` beside this module once built (tsup emits it next to
 * the bundle). Run from the TypeScript sources (this package's own tests), the `.ts` file is
 * loaded through tsx when tsx can be found; otherwise there are no workers.
 */
function workerEntry(): WorkerEntry | undefined {
  const built = new URL('./hash-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { script: built, eval: false };
  const source = new URL('./hash-worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) return undefined;
  const tsx = tsxApi();
  if (tsx === undefined) return undefined;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
  return { script: code, eval: true };
}

/** The URL of tsx's ESM `register` API, or undefined where tsx is not installed. */
function tsxApi(): string | undefined {
  try {
    // Test runners do not all provide import.meta.resolve; require.resolve gives the CommonJS
    // build, whose ES module twin sits beside it.
    const resolved = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    return existsSync(resolved) ? pathToFileURL(resolved).href : undefined;
  } catch {
    return undefined;
  }
}

/** An error a thread reported, rebuilt on this side (errors do not cross threads intact). */
function threadError(error: { name: string; message: string; code?: string; file?: number }, source: HashSource): Error {
  if (error.name === 'FileChangedError' && error.file !== undefined) return changedError(error.file, source);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

function changedError(file: number, source: HashSource): Error {
  const name = 'paths' in source ? source.paths[file]! : source.describe(file);
  return Object.assign(new Error(`${name} changed while it was hashed: it is shorter than when it was listed`), { code: 'ERR_FILE_CHANGED' });
}
