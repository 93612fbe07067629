// Resume data: which pieces were verified, and the size and mtime of every file when they
// were, so that a restart can skip hashing what has not changed. The file is replaced
// atomically (temp file, fsync, rename, fsync of the folder), so a crash at any moment
// leaves either the old file or the new one, never a mix. What it claims is never ahead of
// the disk: the bitfield is copied first, the data is flushed (fsync) second, the file
// states read third and the resume file written last.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { dirname } from 'node:path';
import { decode, encode, isDictionary, text, type BencodeValue } from '@gtorr/bencode';
import type { InfoHashes } from '@gtorr/metainfo';
import { Bitfield } from './bitfield.js';
import { StorageError, StorageErrorCode as Code } from './errors.js';
import { errnoCode } from './internal/errno.js';
import { statAll } from './internal/stat-all.js';
import { toStorageError } from './internal/system-error.js';
import type { OperationOptions, Storage, StoredFileState } from './storage.js';
import { nodeStorageFs, type StorageFs } from './storage-fs.js';

/** What a resume file holds. */
export interface ResumeData {
  readonly infoHash: InfoHashes;
  readonly pieceCount: number;
  /** Pieces verified when it was saved. */
  readonly verified: Bitfield;
  /** Per entry of `metainfo.files`: its state when saved, null for a pad file or one not on disk. */
  readonly files: readonly (StoredFileState | null)[];
  /** Milliseconds since the Unix epoch. */
  readonly savedAt: number;
}

export interface ResumeStoreOptions {
  /** The file system calls to make; default `node:fs/promises`. */
  readonly fs?: StorageFs;
}

const FORMAT = 'gtorr resume';
const VERSION = 1;

/** One torrent's resume file. One writer at a time per file (saves through one store are queued). */
export class ResumeStore {
  private readonly fs: StorageFs;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    options: ResumeStoreOptions = {},
  ) {
    this.fs = options.fs ?? nodeStorageFs;
  }

  /**
   * Saves what `verified` says of `storage`'s data, after making that data durable.
   * Returns what was written. On any failure the previous resume file is left as it was.
   */
  save(storage: Storage, verified: Bitfield, options: OperationOptions = {}): Promise<ResumeData> {
    // The snapshot is taken now, before the flush: a piece verified later is not claimed.
    const snapshot = verified.clone();
    const run = this.queue.then(() => this.saveNow(storage, snapshot, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The saved resume data, or undefined when there is none.
   * @throws StorageError `STORAGE_RESUME_CORRUPT` when the file is not intact resume data.
   */
  async load(options: OperationOptions = {}): Promise<ResumeData | undefined> {
    options.signal?.throwIfAborted();
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(this.path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw toStorageError(error, 'reading resume data', { path: this.path });
    }
    return decodeResume(bytes, this.path);
  }

  /** Deletes the resume file (no error when there is none). */
  async remove(): Promise<void> {
    await this.fs.unlink(this.path).catch((error: unknown) => {
      if (errnoCode(error) !== 'ENOENT') throw toStorageError(error, 'removing resume data', { path: this.path });
    });
  }

  private async saveNow(storage: Storage, verified: Bitfield, options: OperationOptions): Promise<ResumeData> {
    await storage.flush(options);
    const files = (await statAll(storage, options)).map((state) => state ?? null);
    const data: ResumeData = { infoHash: storage.metainfo.infoHash, pieceCount: storage.metainfo.pieceCount, verified, files, savedAt: Date.now() };
    await this.writeAtomically(encodeResume(data), options);
    return data;
  }

  private async writeAtomically(bytes: Uint8Array, options: OperationOptions): Promise<void> {
    const temp = `${this.path}.tmp`;
    try {
      await this.fs.mkdir(dirname(this.path), { recursive: true });
      const handle = await this.fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o644);
      try {
        let done = 0;
        while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, done)).bytesWritten;
        await handle.sync();
      } finally {
        await handle.close();
      }
      options.signal?.throwIfAborted();
      await this.fs.rename(temp, this.path);
    } catch (error) {
      await this.fs.unlink(temp).catch(() => undefined);
      throw toStorageError(error, 'saving resume data', { path: this.path });
    }
    // The rename is durable once the folder is synced. Not every system can open a folder
    // (Windows cannot): the rename itself is atomic either way.
    try {
      const folder = await this.fs.open(dirname(this.path), constants.O_RDONLY);
      await folder.sync().finally(() => folder.close());
    } catch {
      // best effort, see above
    }
  }
}

function encodeResume(data: ResumeData): Uint8Array {
  const body = {
    format: FORMAT,
    version: VERSION,
    'info hash': data.infoHash.v1 ?? new Uint8Array(0),
    'info hash v2': data.infoHash.v2 ?? new Uint8Array(0),
    'piece count': data.pieceCount,
    pieces: data.verified.toBytes(),
    files: data.files.map((file) => (file === null ? [] : [file.size, file.mtimeNs])),
    saved: data.savedAt,
  };
  const bytes = encode(body);
  // A checksum over the body: a resume file damaged on disk is refused, not trusted.
  return encode({ ...body, checksum: createHash('sha1').update(bytes).digest() });
}

function decodeResume(bytes: Uint8Array, path: string): ResumeData {
  const corrupt = (why: string, cause?: unknown) => new StorageError(Code.RESUME_CORRUPT, `resume data ${why}`, { path, cause });
  let value: BencodeValue;
  try {
    value = decode(bytes);
  } catch (error) {
    throw corrupt('is not bencode', error);
  }
  if (!isDictionary(value)) throw corrupt('is not a dictionary');
  const { checksum, ...body } = value;
  if (!(checksum instanceof Uint8Array) || !equalBytes(checksum, createHash('sha1').update(encode(body)).digest())) throw corrupt('fails its checksum');
  if (text(body.format) !== FORMAT) throw corrupt('is not gtorr resume data');
  if (body.version !== VERSION) throw corrupt(`has an unknown version (${typeof body.version === 'number' ? body.version : 'not a number'})`);
  const pieceCount = body['piece count'];
  const pieces = body.pieces;
  const files = body.files;
  const v1 = body['info hash'];
  const v2 = body['info hash v2'];
  const saved = body.saved;
  if (typeof pieceCount !== 'number' || !(pieces instanceof Uint8Array) || !Array.isArray(files) || !(v1 instanceof Uint8Array) || !(v2 instanceof Uint8Array) || typeof saved !== 'number') {
    throw corrupt('lacks a field');
  }
  let verified: Bitfield;
  try {
    verified = new Bitfield(pieceCount, pieces);
  } catch (error) {
    throw corrupt('has a bitfield of the wrong size', error);
  }
  const states = files.map((entry): StoredFileState | null => {
    if (!Array.isArray(entry)) throw corrupt('has a malformed file entry');
    if (entry.length === 0) return null;
    const [size, mtime] = entry;
    if (typeof size !== 'number' || (typeof mtime !== 'number' && typeof mtime !== 'bigint')) throw corrupt('has a malformed file entry');
    return { size, mtimeNs: BigInt(mtime) };
  });
  // Copies, not views into the file's bytes.
  return { infoHash: { v1: v1.length > 0 ? new Uint8Array(v1) : null, v2: v2.length > 0 ? new Uint8Array(v2) : null }, pieceCount, verified, files: states, savedAt: saved };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
