// 50 leechers at once from one `gtorr seed` process: every one completes, byte for byte, and
// the seed's memory stays bounded (its peak RSS, read from /proc, under a fixed ceiling).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Session, type Torrent } from '@gtorr/client';
import { createTorrentFromBuffers, parseTorrent } from '@gtorr/metainfo';
import { HashPool } from '@gtorr/storage';
import { createTrackerServer } from '@gtorr/tracker-http';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const LEECHERS = 50;
const SIZE = 4 * 1024 * 1024;
// Node alone is ~45 MiB; the seed holds a 32 MiB read cache and per-peer queues of small records.
const RSS_CEILING_MIB = 200;

const root = mkdtempSync(join(tmpdir(), 'gtorr-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

describe('gtorr seed under load', () => {
  it(`serves ${LEECHERS} concurrent leechers to completion with bounded memory`, async () => {
    const tracker = createTrackerServer();
    const { announceUrl } = await tracker.start({ host: '127.0.0.1', port: 0 });
    const data = new Uint8Array(randomBytes(SIZE));
    const created = await createTorrentFromBuffers('load.bin', data, { pieceLength: 64 * 1024, announce: [announceUrl] });
    const metainfo = parseTorrent(created.torrent);
    const torrentFile = join(root, 'load.torrent');
    writeFileSync(torrentFile, created.torrent);
    mkdirSync(join(root, 'seed'));
    writeFileSync(join(root, 'seed', 'load.bin'), data);

    const seed = spawn(process.execPath, [BIN, 'seed', torrentFile, '-d', join(root, 'seed'), '--port', '0', '--host', '127.0.0.1', '--max-peers', '80', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pool = new HashPool({ size: 1 });
    const sessions: Session[] = [];
    try {
      const lines = createInterface({ input: seed.stdout });
      const seedPort = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('gtorr seed did not start listening within 15 s')), 15_000);
        lines.on('line', (line) => {
          const event = JSON.parse(line) as { event: string; port?: number };
          if (event.event === 'listening') {
            clearTimeout(timer);
            resolve(event.port!);
          }
        });
      });
      const torrents: Torrent[] = [];
      for (let i = 0; i < LEECHERS; i++) {
        const session = new Session({ port: 0, host: '127.0.0.1', hashPool: pool });
        sessions.push(session);
        await session.start();
        const torrent = session.add(metainfo, { directory: join(root, `leech-${i}`), resume: false, peers: [`127.0.0.1:${seedPort}`] });
        torrent.on('error', () => undefined);
        torrent.on('warning', () => undefined);
        torrents.push(torrent);
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(torrents.map((t) => t.whenDone())),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not all done in 90 s: ${torrents.filter((t) => !t.isComplete).length} left`)), 90_000);
        }),
      ]).finally(() => clearTimeout(timer));
      for (let i = 0; i < LEECHERS; i++) expect(readFileSync(join(root, `leech-${i}`, 'load.bin')).equals(data), `leecher ${i}`).toBe(true);
      expect(peakRssMiB(seed.pid!)).toBeLessThan(RSS_CEILING_MIB);
    } finally {
      await Promise.allSettled(sessions.map((s) => s.close()));
      await pool.close();
      seed.kill('SIGKILL');
      await tracker.stop();
    }
  }, 120_000);
});
