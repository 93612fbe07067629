import * as fs from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';

/** The part of an open file `FileStorage` uses: a subset of Node's `FileHandle`. */
export interface StorageFileHandle {
  /** The descriptor, where there is one: lets hash workers read the file without another open. */
  readonly fd?: number;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  stat(options: { bigint: true }): Promise<BigIntStats>;
  sync(): Promise<void>;
  /** fdatasync: the data, and only the metadata needed to read it back. Where missing, `sync()` is used. */
  datasync?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file system calls `FileStorage` and `ResumeStore` make: a subset of `node:fs/promises`,
 * which is the default. Pass another to inject faults (a full disk, a refused permission)
 * in tests, or to count open descriptors.
 */
export interface StorageFs {
  open(path: string, flags: number, mode?: number): Promise<StorageFileHandle>;
  lstat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  stat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  realpath(path: string): Promise<string>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
}

/** `node:fs/promises` as a StorageFs. */
export const nodeStorageFs: StorageFs = {
  open: (path, flags, mode) => fs.open(path, flags, mode),
  lstat: (path, options) => fs.lstat(path, options),
  stat: (path, options) => fs.stat(path, options),
  realpath: (path) => fs.realpath(path),
  mkdir: (path, options) => fs.mkdir(path, options),
  rename: (from, to) => fs.rename(from, to),
  unlink: (path) => fs.unlink(path),
  readFile: (path) => fs.readFile(path),
};
