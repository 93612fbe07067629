import { resolve } from 'node:path';
import { eachLine } from './lines.js';
import { milestone } from './milestone.js';
import { freePort } from './net.js';
import { startProcess } from './process.js';
import { DEFAULT_DONE_TIMEOUT_MS, DEFAULT_READY_TIMEOUT_MS, referenceClient, withPrefix, type ReferenceClient, type ReferenceClientOptions } from './reference-client.js';

export interface Aria2Options extends ReferenceClientOptions {
  /** The .torrent file. */
  readonly torrentPath: string;
  /** Announce to the torrent's own trackers (default true); false passes `--bt-exclude-tracker=*`. */
  readonly useTrackers?: boolean;
  /** More announce URLs (`--bt-tracker`). HTTP only: aria2 skips UDP trackers while its DHT is off. */
  readonly trackers?: readonly string[];
  /** `--file-allocation` (default `none`: aria2's own default, prealloc, writes the whole file first). */
  readonly fileAllocation?: 'none' | 'prealloc' | 'trunc' | 'falloc';
  /** More aria2c arguments, put before the torrent. */
  readonly args?: readonly string[];
}

/**
 * Runs aria2c 1.36 on one torrent with DHT (4 and 6), LPD and PEX off, IPv4 only, listening
 * on 127.0.0.1:`port` (`--interface=127.0.0.1`: without it aria2 listens on every address).
 * A seed checks the data in `saveDir` (`--check-integrity --seed-ratio=0.0`) and seeds until
 * stopped; `ready` once checked and listening. A leecher (`--seed-time=0`) exits as soon as
 * the last piece is verified: `done` is exit code 0, anything else rejects `done`. It also
 * stops by itself when the process that started it dies (`--stop-with-process`).
 *
 * aria2 takes no peer addresses by hand for a .torrent (no option, no `x.pe` in magnets):
 * a leecher finds seeds through an HTTP tracker (`trackers`, e.g. an opentracker's
 * `httpUrl`), or a seed dials it (`startLibtorrent({ peers: [`127.0.0.1:${aria2.port}`] })`);
 * other leechers find an aria2 seed the same ways.
 *
 * @example
 * const tracker = await startOpentracker([infoHash]);
 * const seed = await startLibtorrent({ torrentPath, saveDir: seedDir, role: 'seed', trackers: [tracker.httpUrl] });
 * await seed.ready;
 * const leech = await startAria2({ torrentPath, saveDir, role: 'leech', useTrackers: false, trackers: [tracker.httpUrl] });
 * await leech.done;
 */
export async function startAria2(options: Aria2Options): Promise<ReferenceClient> {
  const port = options.port ?? (await freePort());
  const roleArgs = options.role === 'seed' ? ['--check-integrity=true', '--seed-ratio=0.0'] : ['--seed-time=0'];
  const trackerArgs = [
    ...(options.useTrackers === false ? ['--bt-exclude-tracker=*'] : []),
    ...(options.trackers && options.trackers.length > 0 ? [`--bt-tracker=${options.trackers.join(',')}`] : []),
  ];
  const [command, args] = withPrefix(options.prefix, 'aria2c', [
    '--no-conf',
    `--dir=${resolve(options.saveDir)}`,
    `--listen-port=${port}`,
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    '--disable-ipv6',
    // Binds its sockets, the BitTorrent listener included, to loopback.
    '--interface=127.0.0.1',
    '--enable-rpc=false',
    `--stop-with-process=${process.pid}`,
    `--file-allocation=${options.fileAllocation ?? 'none'}`,
    '--summary-interval=1',
    '--enable-color=false',
    '--console-log-level=notice',
    '--allow-overwrite=true',
    '--auto-file-renaming=false',
    ...roleArgs,
    ...trackerArgs,
    ...(options.args ?? []),
    resolve(options.torrentPath),
  ]);
  const aria2 = startProcess(command, args);
  const ready = milestone<void>('aria2 to be ready', aria2, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  const done = milestone<void>('aria2 to finish', aria2, options.doneTimeoutMs ?? DEFAULT_DONE_TIMEOUT_MS, (code) =>
    // --seed-time=0: aria2c exits 0 right after the last verified piece, non-zero on failure.
    code === 0 && options.role === 'leech' ? { value: undefined } : undefined,
  );
  let progress = 0;
  let listening = false;
  let checked = options.role === 'leech';
  eachLine(aria2.child.stdout, (line) => {
    // "[#6cbd36 12MiB/1.0GiB(1%) CN:1 ...]" while downloading, "[#6cbd36 SEED(0.0) ...]" after.
    const match = /^\[#\w+ [^\]]*?\((\d+)%\)/.exec(line);
    if (match) progress = Number(match[1]) / 100;
    if (line.includes('listening on TCP port')) listening = true;
    if (line.includes('Verification finished successfully') || /\[#\w+ SEED\(/.test(line)) checked = true;
    if (/\[#\w+ SEED\(/.test(line) || line.includes('Download complete:')) progress = 1;
    if (listening && checked) {
      ready.resolve();
      if (options.role === 'seed') done.resolve();
    }
  });
  done.promise.then(
    () => (progress = 1),
    () => undefined,
  );
  return referenceClient({ name: 'aria2', process: aria2, port, ready, done, progress: () => progress, signal: 'SIGTERM', graceMs: 3000 });
}
