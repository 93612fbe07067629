import { errnoCode } from './errno.js';
import { StorageError, StorageErrorCode as Code, type StorageErrorCode, type StorageErrorOptions } from '../errors.js';

// What each system error means to a torrent. Anything not listed is STORAGE_IO.
const BY_ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ENOSPC: Code.DISK_FULL,
  EDQUOT: Code.DISK_FULL,
  EFBIG: Code.DISK_FULL,
  EACCES: Code.PERMISSION,
  EPERM: Code.PERMISSION,
  EROFS: Code.PERMISSION,
  // Opening with O_NOFOLLOW a path whose last component is a symbolic link.
  ELOOP: Code.PATH_ESCAPE,
  EISDIR: Code.NOT_A_FILE,
  ENOTDIR: Code.NOT_A_FILE,
  ENOENT: Code.MISSING_DATA,
};

const WHAT: Readonly<Record<StorageErrorCode, string>> = {
  [Code.DISK_FULL]: 'disk full',
  [Code.PERMISSION]: 'permission denied',
  [Code.PATH_ESCAPE]: 'path leads outside the download folder',
  [Code.NOT_A_FILE]: 'not a regular file',
  [Code.FILE_CHANGED]: 'file changed on disk',
  [Code.MISSING_DATA]: 'data not on disk',
  [Code.OUT_OF_RANGE]: 'out of range',
  [Code.READ_ONLY]: 'storage is read-only',
  [Code.CLOSED]: 'storage is closed',
  [Code.RESUME_CORRUPT]: 'resume data unreadable',
  [Code.IO]: 'I/O error',
};

/**
 * A thrown value as the error to pass on: a system error (one with an errno code) becomes
 * the StorageError its code means, with `path` and the original as `cause`. Anything else
 * that is an Error (ours, an abort reason, a bug) passes through unchanged.
 */
export function toStorageError(error: unknown, doing: string, options: Omit<StorageErrorOptions, 'cause'> = {}): Error {
  const errno = errnoCode(error);
  if (error instanceof StorageError || (errno === undefined && error instanceof Error)) return error;
  const code = (errno !== undefined ? BY_ERRNO[errno] : undefined) ?? Code.IO;
  const detail = errno !== undefined ? ` (${errno})` : error instanceof Error ? ` (${error.message})` : '';
  return new StorageError(code, `${doing}: ${WHAT[code]}${detail}`, { ...options, cause: error });
}
