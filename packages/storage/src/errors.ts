import { errnoCode } from './internal/errno.js';

/**
 * Every way storage can fail, as a stable code. Tests and callers match on these, never on
 * message text. A client keeps what it has already verified whatever the code: an error
 * concerns one operation (and, through `fileIndex`, the pieces of one file), never the rest.
 */
export const StorageErrorCode = {
  /** The disk (or the user's quota) is full: ENOSPC, EDQUOT. Retryable once space is freed. */
  DISK_FULL: 'STORAGE_DISK_FULL',
  /** The system refused access: EACCES, EPERM, EROFS (a read-only file system). */
  PERMISSION: 'STORAGE_PERMISSION',
  /**
   * A path would leave the download folder: a name metainfo's path rule refuses, a symbolic
   * link (or a folder that is one) resolving outside the folder.
   */
  PATH_ESCAPE: 'STORAGE_PATH_ESCAPE',
  /** A path that should be a regular file (or a folder on the way to one) is something else. */
  NOT_A_FILE: 'STORAGE_NOT_A_FILE',
  /**
   * A file we wrote was replaced (another inode at its path) or truncated below what we wrote,
   * by something other than this storage. Its pieces must be checked again.
   */
  FILE_CHANGED: 'STORAGE_FILE_CHANGED',
  /** The bytes asked for are not on disk: the file does not exist, or ends before them. */
  MISSING_DATA: 'STORAGE_MISSING_DATA',
  /** A piece index, offset or length outside the torrent. */
  OUT_OF_RANGE: 'STORAGE_OUT_OF_RANGE',
  /** A write to a storage opened read-only. */
  READ_ONLY: 'STORAGE_READ_ONLY',
  /** An operation on a storage after `close()`. */
  CLOSED: 'STORAGE_CLOSED',
  /** Resume data that cannot be read: not ours, damaged, or of an unknown version. */
  RESUME_CORRUPT: 'STORAGE_RESUME_CORRUPT',
  /** Any other I/O failure (EIO, EMFILE, ...); `cause` holds the system error. */
  IO: 'STORAGE_IO',
} as const;

export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export interface StorageErrorOptions {
  /** The file system path concerned, where there is one. */
  path?: string;
  /** Index into `metainfo.files` of the file concerned. */
  fileIndex?: number;
  /** The piece concerned. */
  piece?: number;
  cause?: unknown;
}

/** The one error class of @gtorr/storage. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly path: string | undefined;
  readonly fileIndex: number | undefined;
  readonly piece: number | undefined;
  /** The system error code behind it (`ENOSPC`, `EACCES`, ...), where there is one. */
  readonly syscallCode: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(options.path === undefined ? message : `${message}: ${options.path}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.fileIndex = options.fileIndex;
    this.piece = options.piece;
    this.syscallCode = errnoCode(options.cause);
  }

  /** Whether trying again later may succeed (a full disk can be emptied). */
  get retryable(): boolean {
    return this.code === StorageErrorCode.DISK_FULL || this.code === StorageErrorCode.IO;
  }
}
