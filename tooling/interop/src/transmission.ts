import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { answersHandshake } from './answers-handshake.js';
import { eachLine } from './lines.js';
import { milestone } from './milestone.js';
import { freePort } from './net.js';
import { startProcess } from './process.js';
import { DEFAULT_DONE_TIMEOUT_MS, DEFAULT_READY_TIMEOUT_MS, referenceClient, withPrefix, type ReferenceClient, type ReferenceClientOptions } from './reference-client.js';
import { torrentInfoHash } from './torrent-info-hash.js';

export interface TransmissionOptions extends ReferenceClientOptions {
  /** The .torrent file (its own trackers are announced to; transmission-cli cannot add others). */
  readonly torrentPath: string;
}

/**
 * Runs transmission-cli 3.00 on one torrent, from a throw-away config dir (`-g`) whose
 * settings.json turns off DHT, LPD, PEX, uTP, port forwarding, blocklists and the RPC
 * server, binds to 127.0.0.1 and prefers plaintext. Data goes to (or, for a seed, is found
 * in) `saveDir` (`-w`). It is `ready` once it answers a BEP 3 handshake for the torrent on
 * its port (`answersHandshake`, which leaves no trace): a peer that dials it then is accepted
 * at once. A seed first checks the data and prints "Seeding" (a few seconds). A leecher is
 * `done` when its torrent-done script (`-f`) has run. Stopped with SIGINT, then SIGKILL; its
 * config dir is removed after (see `GTORR_INTEROP_KEEP` in the README).
 *
 * Loopback caveats, all of transmission's doing:
 * - It drops 127.x and ::1 peers learned from trackers and PEX ("martian" addresses), so
 *   as a leecher it only gets data when the seeder dials it: start it first, then give its
 *   port to the seed (e.g. `startLibtorrent({ role: 'seed', peers: [`127.0.0.1:${t.port}`] })`).
 * - It decides interest and unchoking in a pulse every 10 s: a new peer may wait up to
 *   10 s for its first byte, whichever side transmission is on.
 * - It keeps one connection per address, the port ignored: every peer here is 127.0.0.1, so
 *   it talks to one of them at a time, and refuses others (see `answersHandshake`).
 * - It never creates the 0-byte files of a multi-file torrent.
 *
 * @example
 * const leech = await startTransmission({ torrentPath, saveDir, role: 'leech' });
 * await leech.ready;
 * const seed = await startLibtorrent({ torrentPath, saveDir: seedDir, role: 'seed', peers: [`127.0.0.1:${leech.port}`] });
 * await leech.done;
 */
export async function startTransmission(options: TransmissionOptions): Promise<ReferenceClient> {
  const port = options.port ?? (await freePort());
  const infoHash = torrentInfoHash(options.torrentPath);
  const configDir = mkdtempSync(join(tmpdir(), 'gtorr-transmission-'));
  const doneFile = join(configDir, 'done');
  const doneScript = join(configDir, 'done.sh');
  writeFileSync(doneScript, `#!/bin/sh\ntouch '${doneFile}'\n`, { mode: 0o755 });
  writeFileSync(
    join(configDir, 'settings.json'),
    JSON.stringify(
      {
        'dht-enabled': false,
        'lpd-enabled': false,
        'pex-enabled': false,
        'utp-enabled': false,
        'port-forwarding-enabled': false,
        'blocklist-enabled': false,
        'rpc-enabled': false,
        'bind-address-ipv4': '127.0.0.1',
        'bind-address-ipv6': '::1',
        'peer-port': port,
        'peer-port-random-on-start': false,
        // 0: prefer plaintext (the default, 1, dials with MSE first).
        encryption: 0,
        'speed-limit-down-enabled': false,
        'speed-limit-up-enabled': false,
        'alt-speed-enabled': false,
        'ratio-limit-enabled': false,
        'idle-seeding-limit-enabled': false,
        'download-queue-enabled': false,
        'seed-queue-enabled': false,
        'start-added-torrents': true,
        'rename-partial-files': false,
        'incomplete-dir-enabled': false,
        'message-level': 2,
      },
      null,
      2,
    ),
  );
  // Its status line goes to a fully buffered stdout when that is a pipe: stdbuf -o0 makes
  // "Seeding" and "Progress: N%" arrive as they are printed.
  const [command, args] = withPrefix(options.prefix, 'stdbuf', [
    '-o0',
    'transmission-cli',
    '-g',
    configDir,
    '-w',
    resolve(options.saveDir),
    '-p',
    String(port),
    '-f',
    doneScript,
    '-et',
    '-M',
    '-D',
    '-U',
    resolve(options.torrentPath),
  ]);
  const process = startProcess(command, args, { removeAfterStop: [configDir] });
  const ready = milestone<void>('transmission to be ready', process, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  const done = milestone<void>('transmission to finish', process, options.doneTimeoutMs ?? DEFAULT_DONE_TIMEOUT_MS);
  let progress = 0;
  let seeding = false;
  eachLine(process.child.stdout, (line) => {
    const match = /Progress: ([\d.]+)%/.exec(line);
    if (match) progress = Number(match[1]) / 100;
    if (line.includes('Seeding')) {
      progress = 1;
      seeding = true;
    }
  });
  void (async () => {
    // Bounded by the milestones: both settle on timeout or exit, ending this loop.
    while (!done.settled) {
      // It runs the -f script for a complete torrent too: for a seed that is only "checked".
      if (existsSync(doneFile)) {
        progress = 1;
        seeding = true;
        if (options.role === 'leech') {
          ready.resolve();
          done.resolve();
        }
      }
      // Not "listening": a bare connect would cost the next peer its connection (see answersHandshake).
      if (!ready.settled && (options.role === 'leech' || seeding) && (await answersHandshake(port, infoHash))) {
        ready.resolve();
        if (options.role === 'seed') done.resolve();
      }
      await sleep(100);
    }
  })();
  return referenceClient({ name: 'transmission', process, port, ready, done, progress: () => progress, signal: 'SIGINT', graceMs: 3000 });
}
