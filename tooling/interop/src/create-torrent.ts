import { fileURLToPath } from 'node:url';
import { startProcess } from './process.js';
import { SYSTEM_PYTHON } from './tools.js';

const SCRIPT = fileURLToPath(new URL('../py/create-torrent.py', import.meta.url));

export interface CreateTorrentOptions {
  /** A file or folder; the torrent's name is its base name. */
  readonly source: string;
  /** The .torrent file to write. */
  readonly output: string;
  /** Bytes per piece, a power of two of 16 KiB or more. */
  readonly pieceLength: number;
  /** Announce URLs, a tier each. */
  readonly trackers?: readonly string[];
  /** When set and `source` does not exist: first write that many random bytes to it (one file). */
  readonly randomSize?: number;
  /** Bound on the whole run (default 120 s). */
  readonly timeoutMs?: number;
  /** 1 (default) for a v1-only torrent, 2 for a v2-only one (BEP 52). */
  readonly version?: 1 | 2;
}

export interface CreatedTorrent {
  /** v1 info hash, 40 lowercase hex digits ('' for a v2-only torrent: see `infoHashV2`). */
  readonly infoHash: string;
  /** v2 info hash of a v2-only torrent, 64 lowercase hex digits. */
  readonly infoHashV2?: string;
  readonly pieces: number;
  readonly length: number;
}

/** Makes a v1 (or, with `version: 2`, a v2-only) .torrent with libtorrent's create_torrent (python3-libtorrent), as another client would. */
export async function createTorrent(options: CreateTorrentOptions): Promise<CreatedTorrent> {
  const config = { source: options.source, output: options.output, pieceLength: options.pieceLength, trackers: options.trackers ?? [], randomSize: options.randomSize, version: options.version ?? 1 };
  const child = startProcess(SYSTEM_PYTHON, [SCRIPT, JSON.stringify(config)]);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => void child.stop('SIGKILL', 0), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  await child.stop();
  const line = child
    .output()
    .split('\n')
    .find((l) => l.startsWith('{'));
  if (code !== 0 || line === undefined) throw new Error(`create-torrent.py failed (exit code ${code}${code === null ? `, or took over ${timeoutMs} ms` : ''}):\n${child.output().slice(-4000)}`);
  return JSON.parse(line) as CreatedTorrent;
}
