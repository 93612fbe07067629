// Hashing on other threads. SHA-1 and SHA-256 run at ~1.5 GB/s a core here, so a full check
// is bound by hashing: a pool of workers (one per core by default) uses every core. For
// FileStorage the workers also read the pieces themselves, from descriptors the calling
// thread opened safely, so that reading and hashing are split across the cores together.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Metainfo } from '@gtorr/metainfo';
import { StorageError, StorageErrorCode } from './errors.js';
import type { DescriptorSpan, WorkerRequest, WorkerResponse, WorkerSource } from './internal/hash-worker.js';
import { passes, piecePlan, type HashJob, type PieceHashes } from './internal/piece-hash.js';

export interface HashPoolOptions {
  /** Worker threads; default: the number of cores, at most 8. */
  readonly size?: number;
}

export interface PoolVerifyOptions {
  readonly signal?: AbortSignal;
  /**
   * Hand `data`'s memory to the worker instead of copying it (zero-copy). `data` must then be
   * over a plain ArrayBuffer, which is detached until the promise settles; the result's
   * `data` is a view of the same memory, returned. Default: copy.
   */
  readonly transfer?: boolean;
}

export interface PoolVerifyResult {
  readonly ok: boolean;
  /** The bytes verified: `data` itself, or with `transfer`, a view of its returned memory. */
  readonly data: Uint8Array;
}

interface Pending {
  readonly request: WorkerRequest;
  readonly transfer: ArrayBuffer[];
  readonly resolve: (response: WorkerResponse) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Slot {
  readonly worker: Worker;
  readonly inFlight: Map<number, Pending>;
}

type Submit = (job: HashJob, source: WorkerSource, transfer: ArrayBuffer[], signal: AbortSignal | undefined) => Promise<WorkerResponse>;

// How the rest of the package reaches a pool's workers without a public method for it.
const submitters = new WeakMap<HashPool, Submit>();

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
    submitters.set(this, (job, source, transfer, signal) => this.submit(job, source, transfer, signal));
  }

  /**
   * Whether `data` (piece `piece` of `metainfo`, whole) passes the torrent's hashes, computed on a worker thread.
   * With `transfer`, see {@link PoolVerifyOptions.transfer}; otherwise `data` is copied and left untouched.
   */
  async verify(metainfo: Metainfo, piece: number, data: Uint8Array, options: PoolVerifyOptions = {}): Promise<PoolVerifyResult> {
    const plan = piecePlan(metainfo, piece);
    if (data.length !== plan.job.length) return { ok: false, data };
    const { bytes, hashes } = await hashBytes(this, data, plan.job, options);
    return { ok: passes(plan, hashes), data: bytes };
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

  private submit(job: HashJob, source: WorkerSource, transfer: ArrayBuffer[], signal: AbortSignal | undefined): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new StorageError(StorageErrorCode.CLOSED, 'hash pool is closed'));
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    return new Promise<WorkerResponse>((resolve, reject) => {
      const pending: Pending = {
        request: { id: this.nextId++, job, source },
        transfer,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const queued = this.queue.indexOf(pending);
          if (queued >= 0) this.queue.splice(queued, 1);
          if (signal !== undefined) reject(abortReason(signal));
        },
      };
      signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  private settle(pending: Pending, error: unknown, response?: WorkerResponse): void {
    pending.signal?.removeEventListener('abort', pending.onAbort);
    if (response !== undefined) pending.resolve(response);
    else pending.reject(error);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (slot === undefined) return;
      const pending = this.queue.shift()!;
      slot.inFlight.set(pending.request.id, pending);
      slot.worker.ref();
      slot.worker.postMessage(pending.request, pending.transfer);
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
    // No inherited execArgv: a parent run under a loader (tsx, a test runner) would make every
    // worker load it too, which costs more than the worker's own start.
    const worker = new Worker(workerEntry(), { execArgv: [] });
    const slot: Slot = { worker, inFlight: new Map() };
    worker.on('message', (response: WorkerResponse) => {
      const pending = slot.inFlight.get(response.id);
      if (pending === undefined) return;
      slot.inFlight.delete(response.id);
      // An idle pool must not keep a process alive.
      if (slot.inFlight.size === 0) worker.unref();
      this.settle(pending, undefined, response);
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

/** The signal's reason (an Error, as abort reasons nearly always are). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

function submitter(pool: HashPool): Submit {
  return submitters.get(pool)!;
}

function failure(response: WorkerResponse): StorageError {
  return new StorageError(StorageErrorCode.IO, `hashing failed: ${response.error?.message ?? 'unknown'}`);
}

/** Hashes `data` (the piece's bytes from its start) on the pool; with `transfer`, zero-copy (see PoolVerifyOptions). */
export async function hashBytes(pool: HashPool, data: Uint8Array, job: HashJob, options: PoolVerifyOptions = {}): Promise<{ bytes: Uint8Array; hashes: PieceHashes }> {
  let buffer: ArrayBuffer;
  let byteOffset = 0;
  let byteLength = job.length;
  if (options.transfer === true) {
    if (!(data.buffer instanceof ArrayBuffer)) throw new TypeError('transfer needs data over a plain ArrayBuffer');
    ({ buffer, byteOffset, byteLength } = { buffer: data.buffer, byteOffset: data.byteOffset, byteLength: data.byteLength });
  } else {
    // A copy: Buffer.prototype.slice would return a view, hence Uint8Array's own slice.
    buffer = Uint8Array.prototype.slice.call(data, 0, job.length).buffer;
  }
  const response = await submitter(pool)(job, { kind: 'buffer', buffer, byteOffset, byteLength }, [buffer], options.signal);
  if (response.error !== undefined) throw failure(response);
  const bytes = options.transfer === true ? new Uint8Array(response.buffer!, byteOffset, byteLength) : data;
  return { bytes, hashes: { sha1: response.sha1, v2: response.v2 } };
}

/** What a worker found reading a piece from descriptors. */
export type DescriptorHashResult =
  | { readonly kind: 'hashed'; readonly hashes: PieceHashes }
  | { readonly kind: 'short'; readonly span: number }
  | { readonly kind: 'error'; readonly span: number | undefined; readonly cause: Error };

/** Has a worker read the piece from open descriptors (kept open by the caller until this settles) and hash it. */
export async function hashDescriptors(pool: HashPool, spans: readonly DescriptorSpan[], job: HashJob, signal: AbortSignal | undefined): Promise<DescriptorHashResult> {
  const response = await submitter(pool)(job, { kind: 'descriptors', spans }, [], signal);
  if (response.error !== undefined) {
    const cause: Error & { code?: string } = new Error(response.error.message);
    if (response.error.code !== undefined) cause.code = response.error.code;
    return { kind: 'error', span: response.error.span, cause };
  }
  if (response.shortSpan !== undefined) return { kind: 'short', span: response.shortSpan };
  return { kind: 'hashed', hashes: { sha1: response.sha1, v2: response.v2 } };
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
