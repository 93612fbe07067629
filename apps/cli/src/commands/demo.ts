import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTorrent, parseTorrent, toHex } from '@gtorr/metainfo';
import { createTrackerServer } from '@gtorr/tracker-http';
import type { Command } from '../command.js';
import { writeDemoData, type DemoFile } from '../demo/demo-data.js';
import { parseDemoOptions, type DemoOptions } from '../demo/demo-options.js';
import { firstDifference } from '../demo/same-files.js';
import { DemoSwarm, type SwarmMember } from '../demo/demo-swarm.js';
import { swarmLine, swarmTotals, type SwarmTotals } from '../demo/swarm-status.js';
import { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { formatBytes, formatRate } from '../ui/format.js';
import { emitJson } from '../ui/json-events.js';
import { ProgressLine } from '../ui/progress-line.js';
import { averageRate, formatElapsed } from '../ui/torrent-status.js';
import { version } from '../version.js';
import { whenDone } from '../when-done.js';

const help = `Usage: gtorr demo [--size BYTES] [--peers N] [--json] [--keep]

Runs a whole BitTorrent swarm on this machine, with nothing to set up and nothing
leaving it: a tracker, random data in a few files, a torrent of it, one seed and
N downloaders, each a session of its own on 127.0.0.1. The downloaders fetch the
data from the seed and from each other while a live line shows the swarm, then
every downloaded file is compared with the original, byte for byte. Everything
happens in a temporary folder, removed at the end unless --keep.

Options:
  --size BYTES  how much data to share, like 64M, 512K or 1G (default 64M)
  --peers N     downloaders, 1 to 8 (default 2)
  --keep        leave the temporary folder (data, .torrent, downloads) and print
                where it is
  --json        one JSON event a line on stdout: tracker, torrent, seed, progress
                (once a second), done (one per downloader), summary
  -h, --help    show this help

Examples:
  gtorr demo
  gtorr demo --size 1G --peers 4
  gtorr demo --size 8M --json | jq -c 'select(.event == "summary")'

Exit codes: 0 when every downloader has every byte right, 1 when not (or on
Ctrl-C), 2 on bad usage.
`;

// A swarm on loopback moves megabytes a second: this long without a byte means it is stuck.
const STALL_MS = 20_000;

export const demo: Command = {
  name: 'demo',
  summary: 'a whole swarm on this machine (tracker, seed, downloaders) to see it work',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const options = parseDemoOptions(args);
    if (io.signal.aborted) return ExitCode.FAILURE;
    const root = await mkdtemp(join(tmpdir(), 'gtorr-demo-'));
    try {
      return await runDemo(io, options, root);
    } finally {
      if (options.keep) {
        if (options.json) emitJson(io, 'kept', { path: root });
        else io.stderr.write(`gtorr demo: kept everything in ${root}\n`);
      } else {
        await rm(root, { recursive: true, force: true });
      }
    }
  },
};

async function runDemo(io: Io, options: DemoOptions, root: string): Promise<number> {
  const say = (text: string, event: string, fields: Record<string, unknown>) => (options.json ? emitJson(io, event, fields) : io.stderr.write(`gtorr demo: ${text}\n`));
  const tracker = createTrackerServer({ interval: 60 });
  const { announceUrl } = await tracker.start({ host: '127.0.0.1', port: 0 });
  let swarm: DemoSwarm | undefined;
  try {
    say(`tracker at ${announceUrl}`, 'tracker', { announceUrl });
    const dataDir = join(root, 'seed');
    const files = await writeDemoData(join(dataDir, 'gtorr-demo'), options.size, io.signal);
    const created = await createTorrent(join(dataDir, 'gtorr-demo'), { pieceLength: 256 * 1024, announce: [announceUrl], createdBy: `gtorr/${version()}`, signal: io.signal });
    await writeFile(join(root, 'gtorr-demo.torrent'), created.torrent);
    const metainfo = parseTorrent(created.torrent);
    say(`${formatBytes(created.length)} of random data in ${files.length} ${files.length === 1 ? 'file' : 'files'}, ${created.pieceCount} pieces of ${formatBytes(created.pieceLength)}; info hash ${toHex(created.infoHash.v1!)}`, 'torrent', {
      name: created.name,
      infoHash: toHex(created.infoHash.v1!),
      length: created.length,
      files: files.length,
      pieceLength: created.pieceLength,
      pieceCount: created.pieceCount,
    });

    swarm = new DemoSwarm(metainfo);
    // Ctrl-C, a failing member or a stalled swarm all end the wait.
    const halt = new AbortController();
    const signal = AbortSignal.any([io.signal, halt.signal]);
    const seed = await swarm.startSeed(dataDir, signal);
    seed.torrent.on('error', (error) => halt.abort(error));
    say(`seeding from 127.0.0.1:${seed.port}; starting ${options.peers} ${options.peers === 1 ? 'downloader' : 'downloaders'}`, 'seed', { port: seed.port, downloaders: options.peers });

    const started = Date.now();
    const downloaders = await swarm.startDownloaders(root, options.peers);
    const display = new SwarmDisplay(io, options.json, seed, downloaders, () => halt.abort(new Error(`the swarm moved no data for ${STALL_MS / 1000}s`)));
    let finishedAt = 0;
    try {
      await Promise.all(downloaders.map(async (d, i) => {
        await whenDone(d.torrent, signal);
        if (options.json) emitJson(io, 'done', { downloader: i + 1, port: d.port, elapsedMs: Date.now() - started });
      }));
      finishedAt = Date.now();
    } catch (error) {
      if (io.signal.aborted) {
        display.stop();
        say('stopped', 'stopped', {});
        return ExitCode.FAILURE;
      }
      throw halt.signal.aborted ? halt.signal.reason : error;
    } finally {
      display.stop();
    }
    const totals = display.totals();
    const seedUploaded = seed.torrent.progress().uploaded;
    const peerUploaded = downloaders.reduce((sum, d) => sum + d.torrent.progress().uploaded, 0);
    await swarm.close();
    swarm = undefined;

    const mismatch = await compareAll(dataDir, downloaders, files);
    const elapsedMs = finishedAt - started;
    if (options.json) {
      emitJson(io, 'summary', {
        ok: mismatch === undefined,
        length: created.length,
        files: files.length,
        downloaders: downloaders.length,
        elapsedMs,
        rate: Math.round(averageRate(totals.bytesWanted, elapsedMs)),
        seedUploaded,
        peerUploaded,
        maxPeers: display.maxPeers,
        ...(mismatch === undefined ? {} : { mismatch }),
      });
    } else {
      io.stdout.write(summaryText(created.length, files.length, elapsedMs, totals, seedUploaded, peerUploaded, display.maxPeers, mismatch));
    }
    if (mismatch !== undefined && !options.json) io.stderr.write(`gtorr: demo: a downloaded file differs from the original: ${mismatch}\n`);
    return mismatch === undefined ? ExitCode.OK : ExitCode.FAILURE;
  } finally {
    await swarm?.close();
    await tracker.stop();
  }
}

async function compareAll(dataDir: string, downloaders: readonly SwarmMember[], files: readonly DemoFile[]): Promise<string | undefined> {
  for (const [i, d] of downloaders.entries()) {
    const difference = await firstDifference(join(dataDir, 'gtorr-demo'), join(d.directory, 'gtorr-demo'), files);
    if (difference !== undefined) return `downloader ${i + 1}: ${difference}`;
  }
  return undefined;
}

function summaryText(length: number, files: number, elapsedMs: number, t: SwarmTotals, seedUploaded: number, peerUploaded: number, maxPeers: number, mismatch: string | undefined): string {
  const each = formatRate(averageRate(length, elapsedMs));
  return [
    `demo: ${formatBytes(length)} in ${files} ${files === 1 ? 'file' : 'files'} from 1 seed to ${t.downloaders} ${t.downloaders === 1 ? 'downloader' : 'downloaders'} in ${formatElapsed(elapsedMs)} (${each} each, ${formatRate(averageRate(t.bytesWanted, elapsedMs))} in all)`,
    `      the seed sent ${formatBytes(seedUploaded)}, the downloaders sent each other ${formatBytes(peerUploaded)}; up to ${maxPeers} ${maxPeers === 1 ? 'peer' : 'peers'} each`,
    mismatch === undefined ? '      every downloaded file matches the original, byte for byte' : `      MISMATCH: ${mismatch}`,
    '',
  ].join('\n');
}

/** The live line (terminal) or "progress" events (--json) of the whole swarm, and the stall watchdog. */
class SwarmDisplay {
  maxPeers = 0;
  private readonly line: ProgressLine;
  private readonly timer: NodeJS.Timeout;
  private lastBytes = -1;
  private lastChange = Date.now();

  constructor(
    private readonly io: Io,
    private readonly json: boolean,
    private readonly seed: SwarmMember,
    private readonly downloaders: readonly SwarmMember[],
    private readonly onStall: () => void,
  ) {
    this.line = new ProgressLine(io);
    this.timer = setInterval(() => this.tick(), json ? 1000 : 200);
    this.timer.unref();
  }

  totals(): SwarmTotals {
    const statuses = this.downloaders.map((d) => d.torrent.progress());
    for (const s of statuses) this.maxPeers = Math.max(this.maxPeers, s.peers);
    return swarmTotals(statuses, this.seed.torrent.progress());
  }

  stop(): void {
    clearInterval(this.timer);
    this.line.clear();
  }

  private tick(): void {
    const t = this.totals();
    if (t.bytesDone !== this.lastBytes) {
      this.lastBytes = t.bytesDone;
      this.lastChange = Date.now();
    } else if (Date.now() - this.lastChange > STALL_MS) {
      this.onStall();
    }
    if (this.json) emitJson(this.io, 'progress', { ...t });
    else this.line.update(swarmLine(t));
  }
}
