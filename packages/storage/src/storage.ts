import type { Metainfo } from '@gtorr/metainfo';

/** The last argument of every storage operation. */
export interface OperationOptions {
  /** Cancels the operation: it rejects with the signal's reason (a write may have landed in part). */
  readonly signal?: AbortSignal;
}

export interface ReadOptions extends OperationOptions {
  /**
   * Read into this buffer, from its start, instead of a fresh one (it must hold at least
   * `length` bytes). The result is then a view of it. Lets a caller recycle a few buffers.
   */
  readonly into?: Uint8Array;
}

/** What a storage knows of one stored file: enough to tell whether it changed. */
export interface StoredFileState {
  /** Bytes on disk now (may be less than the torrent says while it downloads: files are sparse and grow). */
  readonly size: number;
  /** Last modification, nanoseconds since the Unix epoch. */
  readonly mtimeNs: bigint;
}

/**
 * A torrent's data, addressed by piece. `FileStorage` keeps it in files under a folder,
 * `MemoryStorage` in memory; the client and the checker see only this interface. Pad
 * files (BEP 47) and v2 alignment gaps (BEP 52) are never stored: they read as zeros and
 * writes to them are dropped (their bytes are zeros by definition, which the hash checks).
 */
export interface Storage {
  /** The torrent this storage holds. */
  readonly metainfo: Metainfo;

  /**
   * Reads bytes `offset` to `offset + length` of piece `piece`.
   * @returns A fresh buffer (or a view of `options.into`).
   * @throws StorageError `STORAGE_MISSING_DATA` when a file does not exist or ends before
   *   the range; `STORAGE_OUT_OF_RANGE` for a range outside the piece.
   */
  read(piece: number, offset: number, length: number, options?: ReadOptions): Promise<Uint8Array>;

  /**
   * Writes `data` at `offset` in piece `piece`, creating files and folders as needed. The
   * caller's bytes are never modified. Resolves once every byte is handed to the system
   * (on disk after `flush()`).
   */
  write(piece: number, offset: number, data: Uint8Array, options?: OperationOptions): Promise<void>;

  /**
   * Hashes the piece as stored: true when it matches every hash the torrent has for it
   * (v1 SHA-1, v2 SHA-256 Merkle, both for a hybrid torrent); false when it does not or its
   * bytes are not all stored. Marks nothing: what is verified is the caller's to keep.
   */
  verify(piece: number, options?: OperationOptions): Promise<boolean>;

  /** Whether every byte of the piece is stored (its files exist and reach that far); says nothing of their correctness. */
  has(piece: number, options?: OperationOptions): Promise<boolean>;

  /** Size and modification time of file `fileIndex` (an index into `metainfo.files`), or undefined when it is not stored. */
  stat(fileIndex: number, options?: OperationOptions): Promise<StoredFileState | undefined>;

  /** Makes every write so far durable (fsync), creates the torrent's empty files, and checks that no file we wrote was replaced or truncated. */
  flush(options?: OperationOptions): Promise<void>;

  /** Flushes and releases every resource. Further operations reject with `STORAGE_CLOSED`. */
  close(): Promise<void>;
}
