import type { Metainfo } from '@gtorr/metainfo';
import { StorageError, StorageErrorCode } from './errors.js';
import type { HashPool } from './hash-pool.js';
import { checkData, hasStored, readTarget, verifyStored, zeroGaps } from './internal/storage-common.js';
import { pieceSpans } from './piece-spans.js';
import type { OperationOptions, ReadOptions, Storage, StoredFileState } from './storage.js';

interface MemoryFile {
  bytes: Uint8Array;
  size: number;
  mtimeNs: bigint;
}

export interface MemoryStorageOptions {
  /** Hash `verify()` on these workers instead of the calling thread. */
  readonly hashPool?: HashPool;
  /** Refuse writes (`STORAGE_READ_ONLY`). */
  readonly readOnly?: boolean;
}

/**
 * A Storage in memory, with the same behaviour as `FileStorage` (files appear when first
 * written and grow as they are, reads past their end are `STORAGE_MISSING_DATA`), for tests
 * and for short-lived torrents. It holds what is written: memory grows with the data.
 */
export class MemoryStorage implements Storage {
  private readonly files = new Map<number, MemoryFile>();
  private clock = 0n;
  private closed = false;
  private emptyFilesCreated = false;

  constructor(
    readonly metainfo: Metainfo,
    private readonly options: MemoryStorageOptions = {},
  ) {}

  read(piece: number, offset: number, length: number, options: ReadOptions = {}): Promise<Uint8Array> {
    return attempt(() => this.readNow(piece, offset, length, options));
  }

  write(piece: number, offset: number, data: Uint8Array, options: OperationOptions = {}): Promise<void> {
    return attempt(() => this.writeNow(piece, offset, data, options));
  }

  private readNow(piece: number, offset: number, length: number, options: ReadOptions): Uint8Array {
    this.begin(options);
    const spans = pieceSpans(this.metainfo, piece, offset, length);
    const target = readTarget(length, options.into);
    zeroGaps(target, spans, offset);
    for (const span of spans) {
      const file = this.files.get(span.fileIndex);
      if (file === undefined || file.size < span.fileOffset + span.length) {
        throw new StorageError(StorageErrorCode.MISSING_DATA, `piece ${piece}: bytes of file ${span.fileIndex} are not stored`, { fileIndex: span.fileIndex, piece });
      }
      target.set(file.bytes.subarray(span.fileOffset, span.fileOffset + span.length), span.pieceOffset - offset);
    }
    return target;
  }

  private writeNow(piece: number, offset: number, data: Uint8Array, options: OperationOptions): void {
    this.begin(options);
    if (this.options.readOnly === true) throw new StorageError(StorageErrorCode.READ_ONLY, 'write to a read-only storage');
    checkData(data);
    const spans = pieceSpans(this.metainfo, piece, offset, data.length);
    this.createEmptyFiles();
    for (const span of spans) {
      const file = this.file(span.fileIndex);
      const end = span.fileOffset + span.length;
      if (file.bytes.length < end) file.bytes = grow(file.bytes, end, this.metainfo.files[span.fileIndex]!.length);
      file.bytes.set(data.subarray(span.pieceOffset - offset, span.pieceOffset - offset + span.length), span.fileOffset);
      file.size = Math.max(file.size, end);
      file.mtimeNs = this.tick();
    }
  }

  async verify(piece: number, options: OperationOptions = {}): Promise<boolean> {
    this.begin(options);
    return verifyStored(this, piece, options, this.options.hashPool);
  }

  async has(piece: number, options: OperationOptions = {}): Promise<boolean> {
    this.begin(options);
    return hasStored(this, piece, options);
  }

  stat(fileIndex: number, options: OperationOptions = {}): Promise<StoredFileState | undefined> {
    return attempt(() => {
      this.begin(options);
      if (this.metainfo.files[fileIndex] === undefined) throw new StorageError(StorageErrorCode.OUT_OF_RANGE, `no file ${fileIndex}`, { fileIndex });
      const file = this.files.get(fileIndex);
      return file === undefined ? undefined : { size: file.size, mtimeNs: file.mtimeNs };
    });
  }

  flush(options: OperationOptions = {}): Promise<void> {
    return attempt(() => {
      this.begin(options);
      if (this.options.readOnly !== true) this.createEmptyFiles();
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Test hook: changes stored bytes behind the torrent's back (as a failing disk or another program would). */
  corrupt(fileIndex: number, fileOffset: number, bytes: Uint8Array): void {
    const file = this.files.get(fileIndex);
    if (file === undefined || fileOffset + bytes.length > file.size) throw new RangeError(`file ${fileIndex} holds no bytes at ${fileOffset}`);
    file.bytes.set(bytes, fileOffset);
    file.mtimeNs = this.tick();
  }

  /** Test hook: forgets a file, as if deleted. */
  remove(fileIndex: number): void {
    this.files.delete(fileIndex);
  }

  private begin(options: OperationOptions): void {
    options.signal?.throwIfAborted();
    if (this.closed) throw new StorageError(StorageErrorCode.CLOSED, 'storage is closed');
  }

  private file(fileIndex: number): MemoryFile {
    let file = this.files.get(fileIndex);
    if (file === undefined) {
      file = { bytes: new Uint8Array(0), size: 0, mtimeNs: this.tick() };
      this.files.set(fileIndex, file);
    }
    return file;
  }

  private createEmptyFiles(): void {
    if (this.emptyFilesCreated) return;
    this.emptyFilesCreated = true;
    this.metainfo.files.forEach((entry, index) => {
      if (entry.length === 0 && !entry.padding) this.file(index);
    });
  }

  private tick(): bigint {
    this.clock += 1n;
    return this.clock;
  }
}

/** Runs synchronous work as a promise, so that its errors reject rather than throw. */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

// Doubling keeps a file written front to back at O(n) copying; never past the file's length.
function grow(bytes: Uint8Array, needed: number, limit: number): Uint8Array {
  const next = new Uint8Array(Math.min(limit, Math.max(needed, bytes.length * 2)));
  next.set(bytes);
  return next;
}
