// pnpm bench:download: one libtorrent seed (high-performance profile) on loopback, and
// gtorr, libtorrent and aria2 downloading the same torrent from it in interleaved rounds.
// Wall time from spawn to exit, CPU time (user+sys) and peak RSS of the downloader's
// process tree; medians. See ../README.md.
import { loadavg } from 'node:os';
import { machine } from '@gtorr/bench';
import { hasTool, startAria2, startLibtorrent, startOpentracker, startProcess, type Opentracker } from '@gtorr/interop';
import { atCleanup, cleanup, cleanUpOnExit } from './cleanup.js';
import { benchTorrent } from './fixture.js';
import { gtorrCommand, gtorrMissing } from './gtorr.js';
import { checkGnuTime } from './measure.js';
import { formatSize, parseOptions, USAGE } from './options.js';
import { fixed, mib, publishReport, summarize } from './report.js';
import { runRounds, type Contender } from './rounds.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(`Usage: pnpm bench:download [options]\n\n${USAGE}`);
    return;
  }
  cleanUpOnExit();
  checkGnuTime();
  if (!hasTool('libtorrent')) throw new Error('python3-libtorrent is missing: the seed is libtorrent');
  const loadBefore = loadavg();
  const torrent = await benchTorrent(options.size, options.pieceLength, log);
  // Checking the data before seeding: allow 20 MiB/s, for a busy machine.
  const scaled = Math.max(120_000, (torrent.length / 2 ** 20 / 20) * 1000);

  const aria2Missing = !hasTool('aria2') ? 'aria2c is missing' : !hasTool('opentracker') ? 'opentracker is missing (aria2 finds the seed through a tracker)' : undefined;
  let tracker: Opentracker | undefined;
  if (aria2Missing === undefined) {
    tracker = await startOpentracker([torrent.infoHash]);
    atCleanup(() => tracker?.stop());
  }
  log(`starting the libtorrent seed (checks ${formatSize(torrent.length)} first)...`);
  const seed = await startLibtorrent({
    torrentPath: torrent.torrentPath,
    saveDir: torrent.seedDir,
    role: 'seed',
    highPerformanceSeed: true,
    trackers: tracker ? [tracker.httpUrl] : [],
    readyTimeoutMs: scaled,
  });
  atCleanup(() => seed.stop());
  await seed.ready;
  const peer = `127.0.0.1:${seed.port}`;

  const all: Contender[] = [
    {
      name: 'gtorr',
      missing: gtorrMissing('download'),
      async start(dir, prefix) {
        const [command, args] = gtorrCommand(['download', torrent.torrentPath, '-o', dir, '--peer', peer, '--host', '127.0.0.1', '--port', '0', '--json']);
        const child = startProcess(prefix[0]!, [...prefix.slice(1), command, ...args]);
        return { process: child, finished: child.exited };
      },
    },
    {
      name: 'libtorrent',
      async start(dir, prefix) {
        const leech = await startLibtorrent({ torrentPath: torrent.torrentPath, saveDir: dir, role: 'leech', peers: [peer], useTrackers: false, exitOnDone: true, prefix, doneTimeoutMs: options.runTimeoutMs });
        return { process: leech.process, finished: leech.done };
      },
    },
    {
      name: 'aria2',
      missing: aria2Missing,
      async start(dir, prefix) {
        const leech = await startAria2({ torrentPath: torrent.torrentPath, saveDir: dir, role: 'leech', useTrackers: false, trackers: [tracker!.httpUrl], prefix, doneTimeoutMs: options.runTimeoutMs });
        return { process: leech.process, finished: leech.done };
      },
    },
  ];
  const contenders = all.filter((c) => options.only === undefined || options.only.includes(c.name));

  log(`${machine()}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const results = await runRounds(contenders, { ...options, fileName: torrent.name, sha1: torrent.sha1, bytes: torrent.length, log });
  const loadAfter = loadavg();

  const summaries = results.map((r) => ({ ...r, summary: r.missing === undefined ? summarize(r, torrent.length) : undefined }));
  const rows = summaries.map(({ name, missing, summary: s }) =>
    s === undefined
      ? [name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']
      : [
          name,
          s.failed === 0 ? `${s.ok}` : `${s.ok} (+${s.failed} failed)`,
          fixed(s.wallSeconds, 2),
          `${fixed(s.wallMin, 2)}-${fixed(s.wallMax, 2)}`,
          fixed(s.bytesPerSecond / 2 ** 20, 1),
          fixed(s.cpuSeconds, 2),
          mib(s.peakRssBytes),
          s.verified === undefined ? '-' : s.verified ? 'ok' : 'MISMATCH',
        ].map((cell) => (missing ? 'n/a' : cell)),
  );
  const title = `Download of ${formatSize(torrent.length)} (one file, ${formatSize(torrent.pieceLength)} pieces) from one libtorrent seed on loopback, medians of ${options.rounds} rounds`;
  const out = publishReport({
    benchmark: 'download',
    title,
    header: ['client', 'runs', 'wall (s)', 'range (s)', 'MiB/s', 'CPU (s)', 'peak RSS (MiB)', 'SHA-1'],
    rows,
    notes: [
      'Wall: spawn to exit. CPU: user+sys of the downloader process tree. RSS: peak of its largest process (GNU time); libtorrent maps the files it writes, so its RSS counts page cache too.',
      'aria2 finds the seed through opentracker (its time includes the announce); the others are given the seed by hand.',
    ],
    torrent,
    rounds: options.rounds,
    loadBefore,
    loadAfter,
    out: options.out,
    key: 'contenders',
    summaries,
  });
  log(`results: ${out}`);
}

try {
  await main();
} finally {
  await cleanup();
}
