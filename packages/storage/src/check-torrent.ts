// A full check of the data a storage holds: every piece read once, in order, into a few
// recycled buffers, hashed on a pool of worker threads. Memory is the buffers (bounded by
// `maxBufferBytes`), one bitfield per outcome and one entry per file, whatever the size.
import { StorageError, StorageErrorCode } from './errors.js';
import { Bitfield } from './bitfield.js';
import { HashPool, hashBytes, hashDescriptors } from './hash-pool.js';
import { descriptorSources, type PinnedPiece } from './internal/descriptor-source.js';
import { passes, piecePlan, runHashJob, type PieceHashes } from './internal/piece-hash.js';
import { statAll } from './internal/stat-all.js';
import { toStorageError } from './internal/system-error.js';
import { filePieces, pieceSize, pieceSpans, type FileSpan } from './piece-spans.js';
import type { Storage, StoredFileState } from './storage.js';

/** What became of one piece in a check. */
export type PieceCheckState = 'verified' | 'failed' | 'missing' | 'skipped';

/** One file's state after a check: every piece good, some, or no file at all. */
export type FileCheckState = 'complete' | 'partial' | 'missing';

export interface FileCheck {
  /** Index into `metainfo.files` (pad files are not listed). */
  readonly fileIndex: number;
  readonly path: readonly string[];
  readonly length: number;
  readonly state: FileCheckState;
  /** Bytes of the file inside verified pieces. */
  readonly verifiedBytes: number;
  /** Bytes on disk now, or undefined when there is no file. */
  readonly sizeOnDisk: number | undefined;
  /** Why the file could not be read, where it could not (the check went on without it). */
  readonly error?: StorageError;
}

export interface CheckProgress {
  readonly piecesDone: number;
  readonly piecesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly verified: number;
  readonly failed: number;
  readonly missing: number;
  readonly elapsedMs: number;
}

export interface CheckOptions {
  readonly signal?: AbortSignal;
  /** Hash on this pool (left open). Default: a pool of `workers` threads made and closed by the check. */
  readonly pool?: HashPool;
  /** Worker threads for the check's own pool; default one per core; 0 hashes on the calling thread. */
  readonly workers?: number;
  /** Pieces already known good (trusted resume data): counted verified, not read. */
  readonly known?: Bitfield;
  /** Check only these pieces; the rest are `skipped` (or verified when `known`). Default: all. */
  readonly only?: Bitfield;
  /** Called with a snapshot at most every `progressIntervalMs`, and once at the end. */
  readonly onProgress?: (progress: CheckProgress) => void;
  /** Default 1000. */
  readonly progressIntervalMs?: number;
  /** Called as each piece is decided (opt-in: one call a piece). */
  readonly onPiece?: (piece: number, state: PieceCheckState) => void;
  /** Bytes of piece buffers, at most (at least two pieces' worth are used). Default 64 MiB. */
  readonly maxBufferBytes?: number;
}

export interface CheckResult {
  /** Pieces whose stored bytes pass the torrent's hashes (or were `known`). */
  readonly verified: Bitfield;
  /** Pieces whose bytes were all stored (verified or not). */
  readonly present: Bitfield;
  /** Pieces checked (not skipped). */
  readonly checked: Bitfield;
  readonly files: readonly FileCheck[];
  readonly counts: { readonly verified: number; readonly failed: number; readonly missing: number; readonly skipped: number };
  /** Bytes of the torrent's files inside verified pieces. */
  readonly bytesVerified: number;
  /** Every piece verified and every file present. */
  readonly complete: boolean;
  readonly elapsedMs: number;
  pieceState(piece: number): PieceCheckState;
}

const DEFAULT_BUFFER_BYTES = 64 * 1024 * 1024;
// A piece a worker reads itself holds this many files open at most; pieces over more files
// (many small files) are read on the calling thread instead.
const MAX_PINNED_SPANS = 4;

/**
 * Checks every piece a storage holds against the torrent's hashes (v1, v2 or both), using
 * every core, and says which files are complete, partial or missing.
 * Cancel with `signal`: the promise rejects with its reason and the workers stop.
 */
export async function checkTorrent(storage: Storage, options: CheckOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const { metainfo } = storage;
  const { signal } = options;
  signal?.throwIfAborted();
  const count = metainfo.pieceCount;
  const verified = new Bitfield(count);
  const present = new Bitfield(count);
  const checked = new Bitfield(count);
  const counts = { verified: 0, failed: 0, missing: 0, skipped: 0 };
  const fileErrors = new Map<number, StorageError>();

  const stats = await statAll(storage, { signal });

  const ownPool = options.pool === undefined && options.workers !== 0 ? new HashPool(options.workers === undefined ? {} : { size: options.workers }) : undefined;
  const pool = options.pool ?? ownPool;
  const progress = progressReporter(options, count, metainfo.length, counts, started);
  const decide = (piece: number, state: PieceCheckState, bytes: number) => {
    if (state === 'verified') verified.set(piece);
    if (state !== 'skipped') checked.set(piece);
    if (state === 'verified' || state === 'failed') present.set(piece);
    counts[state]++;
    options.onPiece?.(piece, state);
    progress.add(bytes);
  };

  // Pieces in flight at once: each holds a buffer (or, read by a worker, a few open files).
  const slots = bufferCount(options, metainfo.pieceLength, pool?.size ?? 1);
  const buffers: Uint8Array[] = [];
  const waiting: (() => void)[] = [];
  let busy = 0;
  const enter = async (): Promise<void> => {
    while (busy >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    busy++;
  };
  const leave = () => {
    busy--;
    waiting.shift()?.();
  };
  // Workers read FileStorage pieces themselves when the storage's cap on open files allows
  // every piece in flight to hold its files (more would make pinning wait on itself).
  const descriptors = pool === undefined ? undefined : descriptorSources.get(storage);
  const pinning = descriptors !== undefined && descriptors.maxOpenFiles >= slots * MAX_PINNED_SPANS;

  const readError = (piece: number, error: unknown, length: number): void => {
    if (!(error instanceof StorageError) || error.fileIndex === undefined) throw error;
    if (error.code !== StorageErrorCode.MISSING_DATA) fileErrors.set(error.fileIndex, error);
    decide(piece, error.code === StorageErrorCode.MISSING_DATA ? 'missing' : 'failed', length);
  };

  const readAndHash = async (piece: number): Promise<void> => {
    const plan = piecePlan(metainfo, piece);
    let buffer = buffers.pop() ?? new Uint8Array(metainfo.pieceLength);
    try {
      await storage.read(piece, 0, plan.job.length, { into: buffer, signal });
    } catch (error) {
      buffers.push(buffer);
      return readError(piece, error, plan.job.length);
    }
    let hashes: PieceHashes;
    if (pool === undefined) hashes = runHashJob(buffer, plan.job);
    else {
      const result = await hashBytes(pool, buffer, plan.job, { signal, transfer: true });
      hashes = result.hashes;
      buffer = new Uint8Array(result.bytes.buffer, 0, metainfo.pieceLength);
    }
    buffers.push(buffer);
    decide(piece, passes(plan, hashes) ? 'verified' : 'failed', plan.job.length);
  };

  const pinAndHash = async (piece: number): Promise<void> => {
    const plan = piecePlan(metainfo, piece);
    let pinned: PinnedPiece | undefined;
    try {
      pinned = await descriptors!.pin(piece);
    } catch (error) {
      return readError(piece, error, plan.job.length);
    }
    if (pinned === undefined) return readAndHash(piece);
    try {
      // No signal once submitted: the files must stay open until the worker has read them.
      signal?.throwIfAborted();
      const result = await hashDescriptors(pool!, pinned.spans, plan.job, undefined);
      if (result.kind === 'hashed') return decide(piece, passes(plan, result.hashes) ? 'verified' : 'failed', plan.job.length);
      const file = pinned.files[result.span ?? 0]!;
      const context = { ...file, piece };
      const error = result.kind === 'short' ? new StorageError(StorageErrorCode.MISSING_DATA, `piece ${piece} is not on disk (file ends early)`, context) : toStorageError(result.cause, `reading piece ${piece}`, context);
      readError(piece, error, plan.job.length);
    } finally {
      await pinned.release();
    }
  };

  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  try {
    for (let piece = 0; piece < count && failure === undefined; piece++) {
      signal?.throwIfAborted();
      const size = pieceSize(metainfo, piece);
      if (options.known?.get(piece) === true) {
        present.set(piece);
        decide(piece, 'verified', size);
        continue;
      }
      if (options.only !== undefined && !options.only.get(piece)) {
        decide(piece, 'skipped', size);
        continue;
      }
      const spans = pieceSpans(metainfo, piece);
      if (!storedInFull(spans, stats)) {
        decide(piece, 'missing', size);
        continue;
      }
      await enter();
      if (failure !== undefined) break;
      const job: Promise<void> = (pinning && spans.length <= MAX_PINNED_SPANS ? pinAndHash(piece) : readAndHash(piece)).then(
        () => {
          inFlight.delete(job);
          leave();
        },
        (error: unknown) => {
          inFlight.delete(job);
          failure ??= error instanceof Error ? error : new Error(String(error));
          leave();
        },
      );
      inFlight.add(job);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
  } finally {
    await ownPool?.close();
  }
  progress.finish();

  const files = fileChecks(storage, verified, stats, fileErrors);
  const bytesVerified = files.reduce((sum, file) => sum + file.verifiedBytes, 0);
  return {
    verified,
    present,
    checked,
    files,
    counts,
    bytesVerified,
    complete: verified.isFull() && files.every((file) => file.state === 'complete'),
    elapsedMs: performance.now() - started,
    pieceState(piece: number): PieceCheckState {
      if (verified.get(piece)) return 'verified';
      if (!checked.get(piece)) return 'skipped';
      return present.get(piece) ? 'failed' : 'missing';
    },
  };
}

function storedInFull(spans: readonly FileSpan[], stats: readonly (StoredFileState | undefined)[]): boolean {
  for (const span of spans) {
    const state = stats[span.fileIndex];
    if (state === undefined || state.size < span.fileOffset + span.length) return false;
  }
  return true;
}

function bufferCount(options: CheckOptions, pieceLength: number, workers: number): number {
  const budget = Math.floor((options.maxBufferBytes ?? DEFAULT_BUFFER_BYTES) / pieceLength);
  // Enough for each worker to hold two pieces and the reader one ahead; fewer if the budget says so.
  return Math.max(2, Math.min(budget, workers * 2 + 2));
}

function fileChecks(storage: Storage, verified: Bitfield, stats: readonly (StoredFileState | undefined)[], errors: ReadonlyMap<number, StorageError>): FileCheck[] {
  const { metainfo } = storage;
  const out: FileCheck[] = [];
  metainfo.files.forEach((file, fileIndex) => {
    if (file.padding) return;
    const state = stats[fileIndex];
    const { first, end } = filePieces(metainfo, fileIndex);
    let verifiedBytes = 0;
    for (let piece = first; piece < end; piece++) {
      if (!verified.get(piece)) continue;
      const start = Math.max(file.offset, piece * metainfo.pieceLength);
      const stop = Math.min(file.offset + file.length, (piece + 1) * metainfo.pieceLength);
      verifiedBytes += stop - start;
    }
    const error = errors.get(fileIndex);
    const fileState: FileCheckState = state === undefined ? 'missing' : verifiedBytes === file.length ? 'complete' : 'partial';
    out.push({ fileIndex, path: file.path, length: file.length, state: fileState, verifiedBytes, sizeOnDisk: state?.size, ...(error === undefined ? {} : { error }) });
  });
  return out;
}

function progressReporter(options: CheckOptions, piecesTotal: number, bytesTotal: number, counts: CheckResult['counts'], started: number) {
  const interval = options.progressIntervalMs ?? 1000;
  let piecesDone = 0;
  let bytesDone = 0;
  let last = started;
  const snapshot = (): CheckProgress => ({
    piecesDone,
    piecesTotal,
    bytesDone,
    bytesTotal,
    verified: counts.verified,
    failed: counts.failed,
    missing: counts.missing,
    elapsedMs: performance.now() - started,
  });
  return {
    add(bytes: number) {
      piecesDone++;
      bytesDone += bytes;
      if (options.onProgress === undefined) return;
      const now = performance.now();
      if (now - last < interval) return;
      last = now;
      options.onProgress(snapshot());
    },
    finish() {
      options.onProgress?.(snapshot());
    },
  };
}
