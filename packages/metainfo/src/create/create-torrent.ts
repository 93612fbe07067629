// Making a .torrent: list the files, lay them out, hash every piece (on worker threads when
// reading from disk), then assemble and encode. See the README's "Creating torrents".
import { availableParallelism } from 'node:os';
import { MetainfoError, MetainfoErrorCode } from '../errors.js';
import { sanitizePathComponent } from '../path-component.js';
import type { InfoHashes } from '../types.js';
import { buildTorrent } from './internal/build-torrent.js';
import { sortByPath } from './internal/file-order.js';
import { hashJobs, type HashSource } from './internal/hash-pool.js';
import { layoutFiles, planJobs, type TorrentVersion } from './internal/layout.js';
import { packageVersion } from './internal/package-version.js';
import { scanFiles } from './internal/scan-files.js';
import { choosePieceLength, isValidPieceLength, MAX_PIECE_LENGTH, MIN_PIECE_LENGTH } from './piece-length.js';

export type { TorrentVersion } from './internal/layout.js';

/** What `createTorrent` writes besides the files and hashes. Every field is optional. */
export interface CreateTorrentOptions {
  /** 1 (BEP 3), 2 (BEP 52) or 'hybrid' (both, with BEP 47 pad files). Default 1: every client reads it. */
  version?: TorrentVersion;
  /** A power of two from 16 KiB to 128 MiB. Default: {@link choosePieceLength} of the total size. */
  pieceLength?: number;
  /** The torrent's name. Default: the file or folder's own name. */
  name?: string;
  /**
   * Trackers (BEP 12): each item is a tier, a string being a tier of one. The first URL is
   * also written as `announce`; `announce-list` is written when there is more than one URL.
   */
  announce?: readonly (string | readonly string[])[];
  /** Web seeds (BEP 19 `url-list`). */
  urlList?: readonly string[];
  /** BEP 27: peers come only from the trackers. Changes the info hash. */
  private?: boolean;
  comment?: string;
  /** Written into the info dictionary (so it changes the info hash), as private trackers ask. */
  source?: string;
  /** Default `gtorr/<version>`; null leaves the field out. */
  createdBy?: string | null;
  /** Seconds since the Unix epoch, or a Date. Default now; null leaves the field out (same input, same bytes). */
  creationDate?: number | Date | null;
  /** Include files and folders whose names start with "." (left out by default). */
  includeHidden?: boolean;
  /**
   * Hashing threads in all, the calling thread included. Default: the machine's available
   * parallelism. 1 hashes on the calling thread alone, starting no worker.
   */
  threads?: number;
  /**
   * Whether the calling thread hashes too (default true): it takes one job at a time (about
   * 5 ms of work) and yields to the event loop in between, so no core sits idle while worker
   * threads start. Set false to keep the event loop free; `threads` workers are then started.
   */
  hashOnCallingThread?: boolean;
  /** Called as hashing moves on: after each job (about every 8 MiB), the last time with every byte hashed. */
  onProgress?: (progress: CreateProgress) => void;
  /** Stops the work: the promise rejects with the signal's reason once every thread has stopped. */
  signal?: AbortSignal;
}

export interface CreateProgress {
  /** Bytes of the torrent's byte space hashed so far (pads included in hybrid torrents). */
  readonly bytesHashed: number;
  readonly totalBytes: number;
}

export interface CreatedTorrent {
  /** The .torrent file's bytes (fresh; yours). */
  readonly torrent: Uint8Array;
  readonly infoHash: InfoHashes;
  readonly version: TorrentVersion;
  readonly name: string;
  readonly pieceLength: number;
  readonly pieceCount: number;
  /** Total bytes of the files (pads not counted). */
  readonly length: number;
  /** The files, in the torrent's order (pads not listed). */
  readonly files: readonly { readonly path: readonly string[]; readonly length: number }[];
  /** What was found but left out: symbolic links, sockets, FIFOs, devices (paths below the root). */
  readonly skipped: readonly string[];
}

/** One file for {@link createTorrentFromBuffers}. */
export interface BufferFile {
  /** Components below the torrent's folder. */
  readonly path: readonly string[];
  readonly data: Uint8Array;
}

// Reads of 1 MiB keep the data in cache between the copy and the hash (measured faster
// than bigger reads), and are a multiple of 16 KiB so v2 blocks never straddle two reads.
const CHUNK_SIZE = 1024 * 1024;
// Jobs of about 8 MiB: ~5 ms of work, short enough to run on the calling thread between
// turns of the event loop, many per thread so that threads finish together.
const JOB_BYTES = 8 * 1024 * 1024;

/**
 * Makes a .torrent of a file or a folder. Files are taken in BEP 52 order (by path, bytes of
 * each component), so the same folder always gives the same torrent; hidden entries are left
 * out unless `includeHidden`; symlinks, sockets, FIFOs and devices below the root are skipped
 * (listed in `skipped`); empty folders leave no trace; empty files are kept.
 *
 * Reads each file once, in 1 MiB reads, on `threads` threads (the calling thread and
 * workers); memory stays at a few MiB a thread plus about 100 bytes a piece, whatever the size of
 * the files.
 *
 * @throws MetainfoError `METAINFO_BAD_FILES` when there is nothing to share (no file, or only empty ones);
 *   `METAINFO_BAD_NAME` / `METAINFO_BAD_PATH` for a name that cannot be a path on other systems.
 *   File system errors (`ENOENT`, `EACCES`) as they come; an `Error` with code `ERR_FILE_CHANGED` when a file shrinks while it is read.
 * @example
 * const { torrent, infoHash } = await createTorrent('photos', { version: 'hybrid', announce: ['http://tracker.example/announce'] });
 * writeFileSync('photos.torrent', torrent);
 */
export async function createTorrent(path: string, options: CreateTorrentOptions = {}): Promise<CreatedTorrent> {
  options.signal?.throwIfAborted();
  const scan = await scanFiles(path, options.includeHidden ?? false);
  const paths = scan.files.map((f) => f.absolutePath);
  return create(scan.name, scan.isDirectory, scan.files, { paths }, scan.skipped, options);
}

/**
 * Makes a .torrent of files held in memory, hashed on the calling thread: for tests, and for
 * content that never touches a disk. `content` is one file (a single-file torrent called
 * `name`) or a list of files under a folder called `name`, in any order (they are sorted).
 */
export async function createTorrentFromBuffers(name: string, content: Uint8Array | readonly BufferFile[], options: Omit<CreateTorrentOptions, 'includeHidden' | 'threads' | 'hashOnCallingThread'> = {}): Promise<CreatedTorrent> {
  const isDirectory = !(content instanceof Uint8Array);
  const files = isDirectory ? sortByPath(content, (f) => f.path) : [{ path: [name], data: content }];
  const read = (file: number, position: number, into: Uint8Array) => {
    const data = files[file]!.data.subarray(position, position + into.length);
    into.set(data);
    return data.length;
  };
  const source: HashSource = { read, describe: (file) => files[file]!.path.join('/') };
  const listed = files.map((f) => ({ path: f.path, length: f.data.length }));
  return create(name, isDirectory, listed, source, [], { ...options, threads: 1 });
}

async function create(
  defaultName: string,
  isDirectory: boolean,
  listed: readonly { readonly path: readonly string[]; readonly length: number }[],
  source: HashSource,
  skipped: readonly string[],
  options: CreateTorrentOptions,
): Promise<CreatedTorrent> {
  const version = options.version ?? 1;
  if (version !== 1 && version !== 2 && version !== 'hybrid') throw new TypeError(`version must be 1, 2 or 'hybrid', got ${String(version)}`);
  const name = options.name ?? defaultName;
  // A single file is listed under the torrent's name, whatever it is called on disk.
  const files = isDirectory ? listed : listed.map((f) => ({ ...f, path: [name] }));
  checkNames(name, isDirectory ? files : []);
  const length = files.reduce((sum, f) => sum + f.length, 0);
  if (files.length === 0) throw new MetainfoError(MetainfoErrorCode.BAD_FILES, `nothing to share in ${name}: it holds no file${options.includeHidden ? '' : ' (hidden files are left out)'}`);
  if (length === 0) throw new MetainfoError(MetainfoErrorCode.BAD_FILES, `nothing to share in ${name}: every file is empty`);
  const pieceLength = options.pieceLength ?? choosePieceLength(length);
  if (!isValidPieceLength(pieceLength)) throw new RangeError(`pieceLength must be a power of two from ${MIN_PIECE_LENGTH} to ${MAX_PIECE_LENGTH}, got ${pieceLength}`);
  const threads = options.threads ?? availableParallelism();
  if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const fields = torrentFields(options);

  const layout = layoutFiles(
    files.map((f) => f.length),
    pieceLength,
    version,
  );
  const jobs = planJobs(layout, pieceLength, JOB_BYTES);
  const settings = { pieceLength, v1: version !== 2, v2: version !== 1, fileLengths: files.map((f) => f.length) };
  const { onProgress } = options;
  const report = onProgress ? (bytesHashed: number) => onProgress({ bytesHashed, totalBytes: layout.totalLength }) : undefined;
  const callingThread = options.hashOnCallingThread ?? true;
  const results = await hashJobs(jobs, settings, source, { threads, callingThread, chunkSize: CHUNK_SIZE, signal: options.signal, onProgress: report });

  const built = buildTorrent(
    {
      name,
      isDirectory,
      files,
      pieceLength,
      version,
      layout,
      v1Pieces: settings.v1 ? Buffer.concat(results.map((r) => r.v1!)) : null,
      v2Pieces: settings.v2 ? Buffer.concat(results.map((r) => r.v2!)) : null,
    },
    fields,
  );
  return { torrent: built.torrent, infoHash: built.infoHash, version, name, pieceLength, pieceCount: layout.pieceCount, length, files, skipped };
}

function torrentFields(options: CreateTorrentOptions) {
  const announce = (options.announce ?? []).map((tier) => (typeof tier === 'string' ? [tier] : [...tier])).filter((tier) => tier.length > 0);
  for (const url of announce.flat()) if (typeof url !== 'string' || url === '') throw new TypeError('tracker URLs must be non-empty strings');
  const date = options.creationDate === undefined ? Math.floor(Date.now() / 1000) : options.creationDate;
  const creationDate = date === null ? undefined : date instanceof Date ? Math.floor(date.getTime() / 1000) : date;
  if (creationDate !== undefined && !Number.isSafeInteger(creationDate)) throw new RangeError(`creationDate must be whole seconds, got ${creationDate}`);
  return {
    announce,
    urlList: [...(options.urlList ?? [])],
    private: options.private ?? false,
    comment: options.comment,
    source: options.source,
    createdBy: options.createdBy === null ? undefined : (options.createdBy ?? `gtorr/${packageVersion()}`),
    creationDate,
  };
}

/** Refuses names a reader would refuse (BEP 52 and this package's reader share the rule). */
function checkNames(name: string, files: readonly { readonly path: readonly string[] }[]): void {
  if (sanitizePathComponent(name) === undefined) throw new MetainfoError(MetainfoErrorCode.BAD_NAME, `${JSON.stringify(name)} cannot be a torrent's name`);
  const filePaths = new Set<string>();
  const folderPaths = new Set<string>();
  for (const file of files) {
    if (file.path.length === 0 || file.path.some((c) => sanitizePathComponent(c) === undefined)) {
      throw new MetainfoError(MetainfoErrorCode.BAD_PATH, `${JSON.stringify(file.path)} cannot be a path in a torrent`);
    }
    // JSON of the components: unambiguous whatever characters they hold.
    const key = JSON.stringify(file.path);
    if (filePaths.has(key) || folderPaths.has(key)) throw new MetainfoError(MetainfoErrorCode.DUPLICATE_PATH, `${file.path.join('/')} is listed twice, or as a file and a folder`);
    filePaths.add(key);
    for (let depth = 1; depth < file.path.length; depth++) {
      const folder = JSON.stringify(file.path.slice(0, depth));
      if (filePaths.has(folder)) throw new MetainfoError(MetainfoErrorCode.DUPLICATE_PATH, `${file.path.slice(0, depth).join('/')} is listed as a file and a folder`);
      folderPaths.add(folder);
    }
  }
}
