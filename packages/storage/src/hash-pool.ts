// Hashing on other threads. SHA-1 and SHA-256 run at ~1.5 GB/s a core here, slower than a
// page-cached read, so a full check is bound by hashing: a pool of workers (one per core by
// default) lets it use every core while the calling thread only reads.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Metainfo } from '@gtorr/metainfo';
import { StorageError, StorageErrorCode } from './errors.js';
import { passes, piecePlan, type HashJob, type PieceHashes } from './internal/piece-hash.js';
import type { WorkerRequest, WorkerResponse } from './internal/hash-worker.js';

export interface HashPoolOptions {
  /** Worker threads; default: the number of cores, at most 8. */
  readonly size?: number;
}

export interface PoolVerifyOptions {
  readonly signal?: AbortSignal;
  /**
   * Hand `data`'s memory to the worker instead of copying it (zero-copy). `data` must then be
   * the whole of its own ArrayBuffer; it is detached until the promise settles, and the
   * result's `data` is a view of the same memory, returned. Default: copy.
   */
  readonly transfer?: boolean;
}

export interface PoolVerifyResult {
  readonly ok: boolean;
  /** The bytes verified: `data` itself, or with `transfer`, a view of its returned memory. */
  readonly data: Uint8Array;
}

interface Pending {
  readonly id: number;
  readonly request: WorkerRequest;
  readonly resolve: (value: { buffer: ArrayBuffer; hashes: PieceHashes }) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

// Two jobs queued a worker: it finds the next piece waiting when it finishes one, instead of idling for a message round trip.
const JOBS_PER_WORKER = 2;

/** A pool of worker threads that hash pieces. Workers start on first use; `close()` stops them. */
export class HashPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: HashPoolOptions = {}) {
    const size = options.size ?? Math.min(8, availableParallelism());
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`a hash pool has at least one worker, got ${size}`);
    this.size = size;
  }

  /**
   * Whether `data` (piece `piece` of `metainfo`, whole) passes the torrent's hashes, computed on a worker thread.
   * With `transfer`, see {@link PoolVerifyOptions.transfer}; otherwise `data` is copied and left untouched.
   */
  async verify(metainfo: Metainfo, piece: number, data: Uint8Array, options: PoolVerifyOptions = {}): Promise<PoolVerifyResult> {
    const plan = piecePlan(metainfo, piece);
    if (data.length < plan.job.length) return { ok: false, data };
    const { bytes, hashes } = await this.hash(data, plan.job, options);
    return { ok: passes(plan, hashes), data: bytes };
  }

  /** Runs one hash job; internal to the package (the checker uses it with its own buffers). */
  async hash(data: Uint8Array, job: HashJob, options: PoolVerifyOptions = {}): Promise<{ bytes: Uint8Array; hashes: PieceHashes }> {
    if (this.closed) throw new StorageError(StorageErrorCode.CLOSED, 'hash pool is closed');
    options.signal?.throwIfAborted();
    let buffer: ArrayBuffer;
    let byteOffset = 0;
    if (options.transfer === true) {
      if (!(data.buffer instanceof ArrayBuffer)) throw new TypeError('transfer needs data over a plain ArrayBuffer');
      buffer = data.buffer;
      byteOffset = data.byteOffset;
    } else {
      buffer = Uint8Array.prototype.slice.call(data, 0, job.length).buffer;
    }
    const byteLength = options.transfer === true ? data.byteLength : job.length;
    const id = this.nextId++;
    const result = await new Promise<{ buffer: ArrayBuffer; hashes: PieceHashes }>((resolve, reject) => {
      const signal = options.signal;
      const pending: Pending = {
        id,
        request: { id, buffer, byteOffset, byteLength, job },
        resolve,
        reject,
        signal,
        onAbort: () => {
          const queued = this.queue.indexOf(pending);
          if (queued >= 0) this.queue.splice(queued, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
    const bytes = options.transfer === true ? new Uint8Array(result.buffer, byteOffset, byteLength) : data;
    return { bytes, hashes: result.hashes };
  }

  /** Stops every worker; jobs not finished reject with `STORAGE_CLOSED`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new StorageError(StorageErrorCode.CLOSED, 'hash pool closed');
    for (const pending of this.queue.splice(0)) this.settle(pending, error);
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const pending of slot.inFlight.values()) this.settle(pending, error);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private settle(pending: Pending, error: unknown, value?: { buffer: ArrayBuffer; hashes: PieceHashes }): void {
    pending.signal?.removeEventListener('abort', pending.onAbort);
    if (value !== undefined) pending.resolve(value);
    else pending.reject(error);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (slot === undefined) return;
      const pending = this.queue.shift()!;
      slot.inFlight.set(pending.id, pending);
      slot.worker.ref();
      slot.worker.postMessage(pending.request, [pending.request.buffer]);
    }
  }

  private freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.inFlight.size < JOBS_PER_WORKER && (best === undefined || slot.inFlight.size < best.inFlight.size)) best = slot;
    if (best !== undefined && best.inFlight.size === 0) return best;
    if (this.slots.length < this.size) return this.spawn();
    return best;
  }

  private spawn(): Slot {
    const worker = new Worker(workerEntry());
    const slot: Slot = { worker, inFlight: new Map() };
    worker.on('message', (response: WorkerResponse) => {
      const pending = slot.inFlight.get(response.id);
      if (pending === undefined) return;
      slot.inFlight.delete(response.id);
      if (slot.inFlight.size === 0) worker.unref();
      if (response.error !== undefined) this.settle(pending, new StorageError(StorageErrorCode.IO, `hashing failed: ${response.error}`));
      else this.settle(pending, undefined, { buffer: response.buffer, hashes: { sha1: response.sha1, v2: response.v2 } });
      this.dispatch();
    });
    const fail = (error: unknown) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      const wrapped = new StorageError(StorageErrorCode.IO, 'hash worker failed', { cause: error });
      for (const pending of slot.inFlight.values()) this.settle(pending, wrapped);
      slot.inFlight.clear();
      void worker.terminate();
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

/**
 * Where the worker's code is: dist/hash-worker.js beside the built package. When the
 * package runs from its TypeScript sources (vitest, tsx) there is no .js file: the worker
 * then starts from a tiny module that registers tsx and imports the .ts source (a worker's
 * `--import tsx` in execArgv does not apply hooks to the worker's own entry on Node 20).
 */
function workerEntry(): URL {
  const built = new URL('./hash-worker.js', import.meta.url);
  if (existsSync(built)) return built;
  const source = new URL('./internal/hash-worker.ts', import.meta.url);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
