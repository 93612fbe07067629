import { constants, type BigIntStats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isSafePathComponent, type Metainfo } from '@gtorr/metainfo';
import { StorageError, StorageErrorCode as Code } from './errors.js';
import type { HashPool } from './hash-pool.js';
import { descriptorSources, type PinnedPiece } from './internal/descriptor-source.js';
import { errnoCode } from './internal/errno.js';
import type { DescriptorSpan } from './internal/hash-worker.js';
import { HandleCache, type OpenedFile } from './internal/handle-cache.js';
import { checkData, checkLayout, hasStored, readTarget, verifyStored, zeroGaps } from './internal/storage-common.js';
import { toStorageError } from './internal/system-error.js';
import { pieceSpans } from './piece-spans.js';
import type { OperationOptions, ReadOptions, Storage, StoredFileState } from './storage.js';
import { nodeStorageFs, type StorageFileHandle, type StorageFs } from './storage-fs.js';

export interface FileStorageOptions {
  /**
   * Files open at once, at most (least recently used closed first). Default 64: a torrent of
   * 50,000 files must not exhaust the process's descriptors (often 1,024).
   */
  readonly maxOpenFiles?: number;
  /** Open files read-only, create nothing, refuse writes (`STORAGE_READ_ONLY`): for checking data. */
  readonly readOnly?: boolean;
  /** The file system calls to make; default `node:fs/promises`. */
  readonly fs?: StorageFs;
  /** Hash `verify()` on these workers instead of the calling thread. */
  readonly hashPool?: HashPool;
}

/** What we know of a file we have written: which inode it is, and how far we wrote. */
interface WrittenFile {
  readonly dev: bigint;
  readonly ino: bigint;
  end: number;
}

const DEFAULT_MAX_OPEN_FILES = 64;
// Not defined on Windows, where there is no symlink-following open to refuse.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);
// Files a read, a write or a flush works on at once: each file operation is a round trip
// through libuv's thread pool, so a piece spanning many small files goes faster in parallel.
const SPAN_CONCURRENCY = 4;
// Bytes written to a file after which its pages are sent to disk in the background. The
// kernel holds dirty pages up to a tenth of the memory before writing them back: on a big
// machine a whole download waits in memory for the flush at the end, which then blocks for
// seconds. Syncing as we go spreads that work over the download, off the event loop.
const WRITE_BACK_BYTES = 32 * 1024 * 1024;

/**
 * A Storage over files under a download folder, through `node:fs/promises`.
 *
 * - Files live at `directory/name/path...` (multi-file) or `directory/name` (single file),
 *   are created on first write, grow as written (sparse: nothing is pre-written) and are
 *   written at exact offsets. Pad files are never created.
 * - Every path stays inside the folder: components metainfo's path rule refuses are
 *   refused, a symbolic link is followed only where it resolves inside the folder (checked
 *   before opening, again after, and the last component is opened with O_NOFOLLOW).
 * - At most `maxOpenFiles` descriptors are open.
 * - Memory does not grow with the data: per file, at most the identity of what we wrote.
 */
export class FileStorage implements Storage {
  /** The download folder, absolute. */
  readonly directory: string;
  private readonly fs: StorageFs;
  private readonly readOnly: boolean;
  private readonly handles: HandleCache;
  private readonly written = new Map<number, WrittenFile>();
  private readonly dirtyClosed = new Set<number>();
  /** Bytes written to each file since its last background sync began. */
  private readonly unsynced = new Map<number, number>();
  private readonly writeBacks = new Map<number, Promise<void>>();
  private writeBackFailure: Error | undefined;
  private readonly safeDirectories = new Set<string>();
  private rootReal: string | undefined;
  private emptyFilesCreated = false;
  private closed = false;

  /** @throws StorageError `STORAGE_PATH_ESCAPE` when a file's name could leave the folder. */
  constructor(
    readonly metainfo: Metainfo,
    directory: string,
    private readonly options: FileStorageOptions = {},
  ) {
    checkLayout(metainfo);
    this.directory = resolve(directory);
    this.fs = options.fs ?? nodeStorageFs;
    this.readOnly = options.readOnly === true;
    const maxOpen = options.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES;
    if (!Number.isSafeInteger(maxOpen) || maxOpen < 1) throw new RangeError(`maxOpenFiles must be a positive integer, got ${maxOpen}`);
    metainfo.files.forEach((file, index) => {
      if (file.padding) return;
      const bad = this.components(index).find((component) => !isSafePathComponent(component));
      if (bad !== undefined) throw new StorageError(Code.PATH_ESCAPE, `refusing file name ${JSON.stringify(bad)}`, { path: this.path(index), fileIndex: index });
    });
    this.handles = new HandleCache(maxOpen, (key, write) => this.openFile(key, write), { onDirtyClose: (key) => this.dirtyClosed.add(key) });
    descriptorSources.set(this, { maxOpenFiles: maxOpen, pin: (piece) => this.pin(piece) });
  }

  /** Where file `fileIndex` lives (no I/O, no check). */
  path(fileIndex: number): string {
    return join(this.directory, ...this.components(fileIndex));
  }

  /** Files open now: never more than `maxOpenFiles` plus the operations in flight. */
  get openFiles(): number {
    return this.handles.size;
  }

  async read(piece: number, offset: number, length: number, options: ReadOptions = {}): Promise<Uint8Array> {
    this.begin(options);
    const spans = pieceSpans(this.metainfo, piece, offset, length);
    const target = readTarget(length, options.into);
    zeroGaps(target, spans, offset);
    await eachLimited(spans, SPAN_CONCURRENCY, async (span) => {
      options.signal?.throwIfAborted();
      const context = { path: this.path(span.fileIndex), fileIndex: span.fileIndex, piece };
      try {
        await this.handles.use(span.fileIndex, false, async (file) => {
          if (file === undefined) throw new StorageError(Code.MISSING_DATA, `piece ${piece} is not on disk (no file)`, context);
          const got = await readFully(file.handle, target, span.pieceOffset - offset, span.length, span.fileOffset);
          if (got < span.length) this.shortRead(span.fileIndex, span.fileOffset + got, context);
        });
      } catch (error) {
        throw toStorageError(error, `reading piece ${piece}`, context);
      }
    });
    return target;
  }

  async write(piece: number, offset: number, data: Uint8Array, options: OperationOptions = {}): Promise<void> {
    this.begin(options);
    if (this.readOnly) throw new StorageError(Code.READ_ONLY, `write to piece ${piece} of a read-only storage`, { piece });
    checkData(data);
    const spans = pieceSpans(this.metainfo, piece, offset, data.length);
    await this.createEmptyFiles(options);
    await eachLimited(spans, SPAN_CONCURRENCY, async (span) => {
      options.signal?.throwIfAborted();
      const context = { path: this.path(span.fileIndex), fileIndex: span.fileIndex, piece };
      try {
        await this.handles.use(span.fileIndex, true, async (file) => {
          // use() with write=true always opens or creates the file.
          await writeFully(file!.handle, data, span.pieceOffset - offset, span.length, span.fileOffset);
          const record = this.written.get(span.fileIndex);
          if (record !== undefined) record.end = Math.max(record.end, span.fileOffset + span.length);
        });
      } catch (error) {
        throw toStorageError(error, `writing piece ${piece}`, context);
      }
      this.countWritten(span.fileIndex, span.length);
    });
  }

  /** Starts a background sync of a file once enough was written to it since the last. */
  private countWritten(fileIndex: number, bytes: number): void {
    const unsynced = (this.unsynced.get(fileIndex) ?? 0) + bytes;
    if (unsynced < WRITE_BACK_BYTES || this.writeBacks.has(fileIndex)) {
      this.unsynced.set(fileIndex, unsynced);
      return;
    }
    this.unsynced.set(fileIndex, 0);
    // Holding the handle keeps it open while it syncs. The file stays dirty for flush(),
    // which syncs again (little is left by then) and reports a failure of this one.
    // fdatasync, not fsync: measured on ext4, an fsync every 32 MiB doubled the system
    // time of a 1 GiB download, while fdatasync costs no more than leaving it all to the
    // flush.
    const writeBack = this.handles
      .use(fileIndex, false, async (file) => (file?.handle.datasync === undefined ? file?.handle.sync() : file.handle.datasync()))
      .catch((error: unknown) => {
        this.writeBackFailure ??= toStorageError(error, 'syncing a file', { path: this.path(fileIndex), fileIndex });
      })
      .finally(() => this.writeBacks.delete(fileIndex));
    this.writeBacks.set(fileIndex, writeBack);
  }

  async verify(piece: number, options: OperationOptions = {}): Promise<boolean> {
    this.begin(options);
    return verifyStored(this, piece, options, this.options.hashPool);
  }

  async has(piece: number, options: OperationOptions = {}): Promise<boolean> {
    this.begin(options);
    return hasStored(this, piece, options);
  }

  async stat(fileIndex: number, options: OperationOptions = {}): Promise<StoredFileState | undefined> {
    this.begin(options);
    if (this.metainfo.files[fileIndex] === undefined) throw new StorageError(Code.OUT_OF_RANGE, `no file ${fileIndex}`, { fileIndex });
    const path = this.path(fileIndex);
    try {
      const root = await this.root(false);
      if (root === undefined || !(await this.checkFolders(fileIndex, root, false))) return undefined;
      let stats = await this.lstatOrUndefined(path);
      if (stats === undefined) return undefined;
      if (stats.isSymbolicLink()) {
        const real = await this.fs.realpath(path).catch(() => undefined);
        if (real === undefined || !isInside(root, real)) throw new StorageError(Code.PATH_ESCAPE, `a link to ${real ?? 'nowhere'}, outside the download folder`, { path, fileIndex });
        stats = await this.fs.stat(real, { bigint: true });
      }
      if (!stats.isFile()) throw new StorageError(Code.NOT_A_FILE, 'not a regular file', { path, fileIndex });
      return { size: Number(stats.size), mtimeNs: stats.mtimeNs };
    } catch (error) {
      throw toStorageError(error, `reading the state of file ${fileIndex}`, { path, fileIndex });
    }
  }

  async flush(options: OperationOptions = {}): Promise<void> {
    this.begin(options);
    if (this.readOnly) return;
    await this.createEmptyFiles(options);
    await Promise.all(this.writeBacks.values());
    if (this.writeBackFailure !== undefined) {
      const failure = this.writeBackFailure;
      this.writeBackFailure = undefined;
      throw failure;
    }
    const synced = await this.handles.syncOpen().catch((error: unknown) => {
      throw toStorageError(error, 'syncing files');
    });
    // Files closed while dirty (the open-file cap moved on) are reopened to be synced: an
    // fsync on any descriptor of a file flushes all of its pages.
    const pending = [...this.dirtyClosed];
    this.dirtyClosed.clear();
    await eachLimited(pending, SPAN_CONCURRENCY, async (fileIndex) => {
      options.signal?.throwIfAborted();
      const path = this.path(fileIndex);
      try {
        // A file that is gone was already reported (FILE_CHANGED) when found so.
        await this.handles.use(fileIndex, false, async (file) => file?.handle.sync());
      } catch (error) {
        this.dirtyClosed.add(fileIndex);
        throw toStorageError(error, 'syncing a file', { path, fileIndex });
      }
    });
    // A file replaced or truncated behind our back would leave what we wrote (and what a
    // resume file is about to claim) elsewhere: say so now, before anyone relies on it.
    for (const fileIndex of [...synced, ...pending]) await this.checkUnchanged(fileIndex);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    let failure: Error | undefined;
    if (!this.readOnly) await this.flush().catch((error: unknown) => (failure = toStorageError(error, 'flushing files')));
    this.closed = true;
    await this.handles.closeAll().catch((error: unknown) => (failure ??= toStorageError(error, 'closing files')));
    if (failure !== undefined) throw failure;
  }

  /** Opens the files of a piece for a hash worker to read, held open until released. */
  private async pin(piece: number): Promise<PinnedPiece | undefined> {
    this.begin({});
    const held: (() => Promise<void>)[] = [];
    const releaseAll = async () => {
      for (const release of held.splice(0)) await release();
    };
    const spans: DescriptorSpan[] = [];
    const files: { path: string; fileIndex: number }[] = [];
    try {
      // One file after another: the cap is never waited on while holding a file (see DescriptorSource).
      for (const span of pieceSpans(this.metainfo, piece)) {
        const path = this.path(span.fileIndex);
        const { file, release } = await this.handles.acquire(span.fileIndex, false).catch((error: unknown) => {
          throw toStorageError(error, `reading piece ${piece}`, { path, fileIndex: span.fileIndex, piece });
        });
        held.push(release);
        const fd = file?.handle.fd;
        if (fd === undefined) {
          await releaseAll();
          return undefined;
        }
        spans.push({ fd, position: span.fileOffset, at: span.pieceOffset, length: span.length });
        files.push({ path, fileIndex: span.fileIndex });
      }
    } catch (error) {
      await releaseAll();
      throw error;
    }
    return { spans, files, release: releaseAll };
  }

  private begin(options: OperationOptions): void {
    options.signal?.throwIfAborted();
    if (this.closed) throw new StorageError(Code.CLOSED, 'storage is closed');
  }

  private components(fileIndex: number): readonly string[] {
    const file = this.metainfo.files[fileIndex];
    if (file === undefined) throw new StorageError(Code.OUT_OF_RANGE, `no file ${fileIndex}`, { fileIndex });
    return this.metainfo.isDirectory ? [this.metainfo.name, ...file.path] : file.path;
  }

  /** A read ended early: the data was never there, or (when we wrote past it) the file was cut short. */
  private shortRead(fileIndex: number, at: number, context: { path: string; fileIndex: number; piece: number }): never {
    const record = this.written.get(fileIndex);
    if (record !== undefined && record.end > at) {
      this.forget(fileIndex);
      throw new StorageError(Code.FILE_CHANGED, `file truncated to ${at} bytes after we wrote ${record.end}`, context);
    }
    throw new StorageError(Code.MISSING_DATA, `piece ${context.piece} is not on disk (file ends at ${at})`, context);
  }

  private async createEmptyFiles(options: OperationOptions): Promise<void> {
    if (this.emptyFilesCreated) return;
    const files = this.metainfo.files;
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      if (file.length !== 0 || file.padding) continue;
      options.signal?.throwIfAborted();
      const path = this.path(index);
      try {
        const opened = await this.openFile(index, true);
        await opened?.handle.close();
      } catch (error) {
        throw toStorageError(error, 'creating an empty file', { path, fileIndex: index });
      }
    }
    this.emptyFilesCreated = true;
  }

  /**
   * Opens file `fileIndex` safely: every folder on the way checked once (created when
   * writing) and refused if it is a link out of the download folder; the file itself opened
   * with O_NOFOLLOW, and only when that fails because it is a link, opened at its real path
   * if that lies inside the folder. Resolves undefined for a file that does not exist when
   * reading. A file we wrote before is never created again: if it is gone, or is not the
   * inode we wrote, or holds less than we wrote, that is FILE_CHANGED.
   */
  private async openFile(fileIndex: number, write: boolean): Promise<OpenedFile | undefined> {
    const path = this.path(fileIndex);
    const known = this.written.get(fileIndex);
    const root = await this.root(write);
    if (root === undefined || !(await this.checkFolders(fileIndex, root, write))) return this.absent(fileIndex, path, known);
    const create = write && known === undefined;
    let opened: { handle: StorageFileHandle; writable: boolean };
    try {
      opened = await this.openHandle(path, write, create);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') return this.absent(fileIndex, path, known);
      if (code !== 'ELOOP' && code !== 'EMLINK') throw error;
      // The file is a symbolic link: followed only to a real path inside the folder.
      const real = await this.fs.realpath(path).catch(() => undefined);
      if (real === undefined || !isInside(root, real)) throw new StorageError(Code.PATH_ESCAPE, `a link to ${real ?? 'nowhere'}, outside the download folder`, { path, fileIndex });
      opened = await this.openHandle(real, write, create);
    }
    if (!write && known === undefined) return opened;
    const { handle } = opened;
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new StorageError(Code.NOT_A_FILE, 'not a regular file', { path, fileIndex });
      if (known !== undefined && (known.ino !== stats.ino || known.dev !== stats.dev || Number(stats.size) < known.end)) {
        const what = known.ino !== stats.ino || known.dev !== stats.dev ? 'replaced by another file' : `truncated to ${stats.size} bytes after we wrote ${known.end}`;
        this.forget(fileIndex);
        throw new StorageError(Code.FILE_CHANGED, `file ${what}`, { path, fileIndex });
      }
      if (known === undefined) this.written.set(fileIndex, { dev: stats.dev, ino: stats.ino, end: 0 });
      return opened;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stops relying on what we wrote to a file found changed: once reported (FILE_CHANGED), the
   * file is taken as it now is, and its stale descriptor is closed.
   */
  private forget(fileIndex: number): void {
    this.written.delete(fileIndex);
    this.dirtyClosed.delete(fileIndex);
    void this.handles.drop(fileIndex);
  }

  private absent(fileIndex: number, path: string, known: WrittenFile | undefined): undefined {
    if (known === undefined) return undefined;
    this.forget(fileIndex);
    throw new StorageError(Code.FILE_CHANGED, 'file we wrote is gone', { path, fileIndex });
  }

  private async openHandle(target: string, write: boolean, create: boolean): Promise<{ handle: StorageFileHandle; writable: boolean }> {
    if (this.readOnly) return { handle: await this.fs.open(target, constants.O_RDONLY | O_NOFOLLOW), writable: false };
    if (write) return { handle: await this.fs.open(target, constants.O_RDWR | (create ? constants.O_CREAT : 0) | O_NOFOLLOW, 0o666), writable: true };
    // Reading: read-write when allowed, so a later write needs no second descriptor; read-only
    // data (seeding from a read-only disk) is still served.
    try {
      return { handle: await this.fs.open(target, constants.O_RDWR | O_NOFOLLOW), writable: true };
    } catch (error) {
      if (!REFUSED.has(errnoCode(error) ?? '')) throw error;
      return { handle: await this.fs.open(target, constants.O_RDONLY | O_NOFOLLOW), writable: false };
    }
  }

  /** The download folder's real path; created when writing; undefined when absent and reading. */
  private async root(create: boolean): Promise<string | undefined> {
    if (this.rootReal !== undefined) return this.rootReal;
    let real = await this.realpathOrUndefined(this.directory);
    if (real === undefined) {
      if (!create) return undefined;
      await this.fs.mkdir(this.directory, { recursive: true });
      real = await this.fs.realpath(this.directory);
    }
    this.rootReal = real;
    return real;
  }

  /**
   * Checks the folders above file `fileIndex`, one by one from the download folder, each once
   * for the life of the storage: a folder that is a link must resolve inside the folder.
   * Creates missing ones when `create`; otherwise resolves false at the first missing one.
   */
  private async checkFolders(fileIndex: number, root: string, create: boolean): Promise<boolean> {
    const components = this.components(fileIndex);
    let current = this.directory;
    for (const component of components.slice(0, -1)) {
      current = join(current, component);
      if (this.safeDirectories.has(current)) continue;
      let stats = await this.lstatOrUndefined(current);
      if (stats === undefined) {
        if (!create) return false;
        await this.fs.mkdir(current).catch((error: unknown) => {
          if (errnoCode(error) !== 'EEXIST') throw error;
        });
        stats = await this.fs.lstat(current, { bigint: true });
      }
      if (stats.isSymbolicLink()) {
        const real = await this.fs.realpath(current).catch(() => undefined);
        if (real === undefined || !isInside(root, real)) throw new StorageError(Code.PATH_ESCAPE, 'a folder on the way is a link out of the download folder', { path: current, fileIndex });
        stats = await this.fs.stat(real, { bigint: true });
      }
      if (!stats.isDirectory()) throw new StorageError(Code.NOT_A_FILE, 'expected a folder', { path: current, fileIndex });
      this.safeDirectories.add(current);
    }
    return true;
  }

  private async lstatOrUndefined(path: string): Promise<BigIntStats | undefined> {
    try {
      return await this.fs.lstat(path, { bigint: true });
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  private async realpathOrUndefined(path: string): Promise<string | undefined> {
    try {
      return await this.fs.realpath(path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  /** After a sync: the file at the path is still the one we wrote, and still holds all we wrote. */
  private async checkUnchanged(fileIndex: number): Promise<void> {
    const known = this.written.get(fileIndex);
    if (known === undefined) return;
    const path = this.path(fileIndex);
    const stats = await this.fs.stat(path, { bigint: true }).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw toStorageError(error, 'checking a file', { path, fileIndex });
    });
    if (stats !== undefined && stats.ino === known.ino && stats.dev === known.dev && Number(stats.size) >= known.end) return;
    this.forget(fileIndex);
    const what = stats === undefined ? 'is gone' : stats.ino !== known.ino || stats.dev !== known.dev ? 'was replaced by another file' : `was truncated to ${stats.size} bytes after we wrote ${known.end}`;
    throw new StorageError(Code.FILE_CHANGED, `file ${what}`, { path, fileIndex });
  }
}

/** Runs `work` over `items`, at most `limit` at once; rejects with the first failure once all have settled. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  if (items.length === 1) return work(items[0]!);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => void (failure ??= { error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}

function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Reads until `length` bytes or the end of the file; returns how many were read. */
async function readFully(handle: StorageFileHandle, target: Uint8Array, at: number, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(target, at + done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

async function writeFully(handle: StorageFileHandle, data: Uint8Array, at: number, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await handle.write(data, at + done, length - done, position + done);
    if (bytesWritten === 0) throw new StorageError(Code.IO, 'the system wrote nothing');
    done += bytesWritten;
  }
}
