// pnpm bench:seed: a libtorrent leecher downloading the same torrent from `gtorr seed` and
// from a libtorrent seed (high-performance profile), in interleaved rounds; medians. Both
// seeders run throughout; each round measures the leecher (wall, CPU, peak RSS) and the
// seeder serving it (CPU time used during the round, largest RSS seen). See ../README.md.
import { loadavg } from 'node:os';
import { median, machine } from '@gtorr/bench';
import { freePort, hasTool, startLibtorrent, type ManagedProcess } from '@gtorr/interop';
import { atCleanup, cleanup, cleanUpOnExit } from './cleanup.js';
import { benchTorrent } from './fixture.js';
import { gtorrMissing, startGtorrSeed } from './gtorr.js';
import { checkGnuTime } from './measure.js';
import { formatSize, parseOptions, USAGE } from './options.js';
import { groupCpuSeconds, groupRssBytes } from './proc.js';
import { fixed, publishReport, summarize } from './report.js';
import { runRounds, type Contender } from './rounds.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Seeder {
  readonly name: string;
  missing?: string;
  process?: ManagedProcess;
  port?: number;
}

/**
 * CPU seconds the seeder's process group used during a run, and its largest RSS and
 * anonymous RSS (sampled every 250 ms).
 */
function watchSeeder(seeder: Seeder): { end(): Record<string, number> } {
  const pgid = seeder.process!.pid;
  const cpuBefore = groupCpuSeconds(pgid);
  let rss = 0;
  let anon = 0;
  const sample = () => {
    const now = groupRssBytes(pgid);
    rss = Math.max(rss, now.rss);
    anon = Math.max(anon, now.anon);
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    end() {
      clearInterval(timer);
      sample();
      return { seedCpuSeconds: groupCpuSeconds(pgid) - cpuBefore, seedRssMiB: rss / 2 ** 20, seedAnonMiB: anon / 2 ** 20 };
    },
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(`Usage: pnpm bench:seed [options]\n\n${USAGE}`);
    return;
  }
  cleanUpOnExit();
  checkGnuTime();
  if (!hasTool('libtorrent')) throw new Error('python3-libtorrent is missing: the leecher is libtorrent');
  const loadBefore = loadavg();
  const torrent = await benchTorrent(options.size, options.pieceLength, log);
  // Checking the data before seeding: allow 20 MiB/s, for a busy machine.
  const scaled = Math.max(120_000, (torrent.length / 2 ** 20 / 20) * 1000);

  const seeders: Seeder[] = [{ name: 'gtorr', missing: gtorrMissing('seed') }, { name: 'libtorrent' }].filter((s) => options.only === undefined || options.only.includes(s.name));
  for (const seeder of seeders) {
    if (seeder.missing !== undefined) continue;
    log(`starting the ${seeder.name} seed (checks ${formatSize(torrent.length)} first)...`);
    if (seeder.name === 'gtorr') {
      const port = await freePort();
      try {
        const child = await startGtorrSeed(torrent.torrentPath, torrent.seedDir, port, scaled);
        atCleanup(() => child.stop('SIGINT', 5000));
        Object.assign(seeder, { process: child, port });
      } catch (error) {
        seeder.missing = `gtorr seed did not start: ${(error as Error).message.split('\n')[0]}`;
      }
    } else {
      const seed = await startLibtorrent({ torrentPath: torrent.torrentPath, saveDir: torrent.seedDir, role: 'seed', highPerformanceSeed: true, useTrackers: false, readyTimeoutMs: scaled });
      atCleanup(() => seed.stop());
      await seed.ready;
      Object.assign(seeder, { process: seed.process, port: seed.port });
    }
  }

  const contenders: Contender[] = seeders.map((seeder) => ({
    name: seeder.name,
    missing: seeder.missing,
    async start(dir, prefix) {
      const leech = await startLibtorrent({ torrentPath: torrent.torrentPath, saveDir: dir, role: 'leech', peers: [`127.0.0.1:${seeder.port}`], useTrackers: false, exitOnDone: true, prefix, doneTimeoutMs: options.runTimeoutMs });
      return { process: leech.process, finished: leech.done };
    },
    around: () => watchSeeder(seeder),
  }));

  log(`${machine()}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const results = await runRounds(contenders, { ...options, fileName: torrent.name, sha1: torrent.sha1, bytes: torrent.length, log });
  const loadAfter = loadavg();

  const summaries = results.map((r) => {
    const ok = r.runs.filter((run) => run.ok && run.extra);
    const extra = (key: string) => (ok.length === 0 ? NaN : median(ok.map((run) => run.extra![key]!)));
    return {
      ...r,
      summary: r.missing === undefined ? summarize(r, torrent.length) : undefined,
      seeder: r.missing === undefined ? { cpuSeconds: extra('seedCpuSeconds'), rssMiB: extra('seedRssMiB'), anonMiB: extra('seedAnonMiB') } : undefined,
    };
  });
  const rows = summaries.map(({ name, summary: s, seeder }) =>
    s === undefined || seeder === undefined
      ? [name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']
      : [
          name,
          s.failed === 0 ? `${s.ok}` : `${s.ok} (+${s.failed} failed)`,
          fixed(s.wallSeconds, 2),
          `${fixed(s.wallMin, 2)}-${fixed(s.wallMax, 2)}`,
          fixed(s.bytesPerSecond / 2 ** 20, 1),
          fixed(seeder.cpuSeconds, 2),
          fixed(seeder.rssMiB, 0),
          fixed(seeder.anonMiB, 0),
          fixed(s.cpuSeconds, 2),
          s.verified === undefined ? '-' : s.verified ? 'ok' : 'MISMATCH',
        ],
  );
  const title = `A libtorrent leecher downloading ${formatSize(torrent.length)} (one file, ${formatSize(torrent.pieceLength)} pieces) from each seeder on loopback, medians of ${options.rounds} rounds`;
  const out = publishReport({
    benchmark: 'seed',
    title,
    header: ['seeder', 'runs', 'wall (s)', 'range (s)', 'MiB/s', 'seed CPU (s)', 'seed RSS (MiB)', 'seed anon (MiB)', 'leecher CPU (s)', 'SHA-1'],
    rows,
    notes: [
      'Wall: leecher spawn to exit. Seed CPU: user+sys of the seeder process group during the run (/proc). Seed RSS: its largest RSS seen during the run; anon: of that, the memory not backed by files (libtorrent maps the files of the torrent, so its RSS counts the page cache it serves from). Leecher CPU and the rest: GNU time.',
    ],
    torrent,
    rounds: options.rounds,
    loadBefore,
    loadAfter,
    out: options.out,
    key: 'seeders',
    summaries,
  });
  log(`results: ${out}`);
}

try {
  await main();
} finally {
  await cleanup();
}
