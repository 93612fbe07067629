import { fileURLToPath } from 'node:url';
import { eachLine } from './lines.js';
import { milestone } from './milestone.js';
import { freePort } from './net.js';
import { startProcess } from './process.js';
import { DEFAULT_DONE_TIMEOUT_MS, DEFAULT_READY_TIMEOUT_MS, referenceClient, withPrefix, type ReferenceClient, type ReferenceClientOptions } from './reference-client.js';
import { SYSTEM_PYTHON } from './tools.js';

const SCRIPT = fileURLToPath(new URL('../py/libtorrent-client.py', import.meta.url));

export interface LibtorrentOptions extends ReferenceClientOptions {
  /** The .torrent file to add (or `magnet`). */
  readonly torrentPath?: string;
  /** A magnet URI to add instead of a .torrent file. */
  readonly magnet?: string;
  /** Peers to dial by hand, `host:port`; each is redialled every 2 s while not connected. */
  readonly peers?: readonly string[];
  /** Announce to the torrent's own trackers (default true). */
  readonly useTrackers?: boolean;
  /** More announce URLs, each a tier of its own (announced to as well as the torrent's). */
  readonly trackers?: readonly string[];
  /** Start from `lt.high_performance_seed()` (the strong seeder profile). */
  readonly highPerformanceSeed?: boolean;
  /** Keep ut_pex on (off by default). */
  readonly pex?: boolean;
  /** Seed without checking the data first (libtorrent's seed_mode: pieces are checked as they are sent). */
  readonly skipCheck?: boolean;
  /** Leech: exit (code 0) right after "done", so that a wrapper can measure the whole process. */
  readonly exitOnDone?: boolean;
  /** More settings_pack entries, applied last. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
}

/** What the script says when ready. */
export interface LibtorrentReady {
  readonly port: number;
  readonly infoHash: string;
  readonly name: string;
}

/** What the script says when done. */
export interface LibtorrentDone {
  /** Seconds from adding the torrent to the last verified piece. */
  readonly seconds: number;
  readonly totalDone: number;
}

interface ScriptEvent {
  event: 'ready' | 'progress' | 'done' | 'error';
  progress?: number;
  [key: string]: unknown;
}

/**
 * Runs ONE torrent in a libtorrent 2.0 session (Debian's python3-libtorrent, through
 * `py/libtorrent-client.py`) on 127.0.0.1, TCP only, with DHT, LSD, UPnP, NAT-PMP and PEX
 * off, several connections per IP allowed, dialling in plaintext. As a seed the data must
 * already be in `saveDir` (libtorrent checks it unless `skipCheck`); `ready` waits for the
 * seeding state. It runs until stopped (or, with `exitOnDone`, until done).
 *
 * @example
 * const seed = await startLibtorrent({ torrentPath, saveDir: seedDir, role: 'seed', highPerformanceSeed: true });
 * await seed.ready;
 * const leech = await startLibtorrent({ torrentPath, saveDir: leechDir, role: 'leech', peers: [`127.0.0.1:${seed.port}`] });
 * await leech.done;
 * await Promise.all([leech.stop(), seed.stop()]);
 */
export async function startLibtorrent(options: LibtorrentOptions): Promise<ReferenceClient<LibtorrentReady, LibtorrentDone>> {
  if ((options.torrentPath === undefined) === (options.magnet === undefined)) throw new TypeError('give exactly one of torrentPath and magnet');
  const port = options.port ?? (await freePort());
  const config = {
    torrent: options.torrentPath,
    magnet: options.magnet,
    saveDir: options.saveDir,
    port,
    role: options.role,
    peers: options.peers ?? [],
    useTrackers: options.useTrackers ?? true,
    trackers: options.trackers ?? [],
    highPerformanceSeed: options.highPerformanceSeed ?? false,
    pex: options.pex ?? false,
    skipCheck: options.skipCheck ?? false,
    exitOnDone: options.exitOnDone ?? false,
    settings: options.settings ?? {},
  };
  const [command, args] = withPrefix(options.prefix, SYSTEM_PYTHON, ['-u', SCRIPT, JSON.stringify(config)]);
  const process = startProcess(command, args);
  const ready = milestone<LibtorrentReady>('libtorrent to be ready', process, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  const done = milestone<LibtorrentDone>('libtorrent to finish', process, options.doneTimeoutMs ?? DEFAULT_DONE_TIMEOUT_MS);
  let progress = 0;
  eachLine(process.child.stdout, (line) => {
    if (!line.startsWith('{')) return;
    let event: ScriptEvent;
    try {
      event = JSON.parse(line) as ScriptEvent;
    } catch {
      return;
    }
    if (event.event === 'progress' && typeof event.progress === 'number') progress = event.progress;
    if (event.event === 'ready') {
      const value = { port: Number(event.port), infoHash: String(event.infoHash), name: String(event.name) };
      ready.resolve(value);
      if (options.role === 'seed') {
        progress = 1;
        done.resolve({ seconds: 0, totalDone: Number(event.totalWanted) });
      }
    }
    if (event.event === 'done') {
      progress = 1;
      done.resolve({ seconds: Number(event.seconds), totalDone: Number(event.totalDone) });
    }
  });
  return referenceClient({ name: 'libtorrent', process, port, ready, done, progress: () => progress, signal: 'SIGTERM', graceMs: 2000 });
}
