import { progressSnapshot } from '@gtorr/client';
import { describe, expect, it } from 'vitest';
import { demoLayout } from '../src/demo/demo-data.js';
import { swarmLine, swarmTotals } from '../src/demo/swarm-status.js';
import { downloadLine, downloadSummary, formatElapsed, progressFields, seedLine, seedSummary, type TorrentStatus } from '../src/ui/torrent-status.js';

const MiB = 1024 * 1024;

function status(state: string, counters: Partial<Parameters<typeof progressSnapshot>[0]> = {}): TorrentStatus {
  const snapshot = progressSnapshot({ bytesWanted: 64 * MiB, bytesDone: 0, downloadRate: 0, uploadRate: 0, peers: 0, ...counters });
  return { ...snapshot, state, name: 'album' };
}

describe('the download status line', () => {
  it('shows percent, a bar, bytes, rates, peers and ETA while downloading', () => {
    const line = downloadLine(status('downloading', { bytesDone: 16 * MiB, downloadRate: 4 * MiB, uploadRate: MiB / 2, peers: 3, seeds: 1 }));
    expect(line).toBe(' 25.0% [#####...............]  down 4.00 MiB/s  up 512 KiB/s  ETA 12s  peers 3 (1 seed)  16.0 MiB of 64.0 MiB');
  });

  it('says ETA - while nothing arrives', () => {
    expect(downloadLine(status('downloading', { peers: 0 }))).toContain('  ETA -  peers 0  ');
  });

  it('says what it does while fetching metadata or checking', () => {
    expect(downloadLine(status('metadata', { peers: 2 }))).toBe('fetching metadata from peers  peers 2');
    expect(downloadLine(status('checking'))).toBe('checking the data already on disk...');
  });

  it('shows upload figures once seeding', () => {
    const line = downloadLine(status('seeding', { bytesDone: 64 * MiB, uploaded: 32 * MiB, downloaded: 64 * MiB, uploadRate: MiB, peers: 2 }));
    expect(line).toBe('done, seeding  peers 2  up 1.00 MiB/s  uploaded 32.0 MiB  ratio 0.50');
  });
});

describe('the seed status line', () => {
  it('shows peers, upload rate, uploaded and ratio', () => {
    expect(seedLine(status('seeding', { bytesDone: 64 * MiB, uploaded: 3 * MiB, uploadRate: 1024, peers: 1, seeds: 0 }))).toBe('seeding  peers 1  up 1.00 KiB/s  uploaded 3.00 MiB  ratio -');
  });

  it('says when the data is incomplete', () => {
    expect(seedLine(status('downloading', { bytesDone: 32 * MiB }))).toMatch(/^seeding 50\.0% \(incomplete\) {2}peers 0/);
    expect(seedLine(status('checking'))).toBe('checking the data on disk...');
  });
});

describe('progress fields and summaries', () => {
  it('gives the snapshot fields for --json, rates as whole numbers', () => {
    const fields = progressFields(status('downloading', { bytesDone: MiB, downloadRate: 1000.6, piecesDone: 4, piecesWanted: 256 }));
    expect(fields).toMatchObject({ state: 'downloading', percent: 1.5, bytesDone: MiB, bytesWanted: 64 * MiB, downloadRate: 1001, piecesDone: 4, piecesWanted: 256, etaSeconds: 66_021 });
    expect(Object.keys(fields)).toEqual(['state', 'percent', 'bytesDone', 'bytesWanted', 'bytesLeft', 'piecesDone', 'piecesWanted', 'downloadRate', 'uploadRate', 'downloaded', 'uploaded', 'ratio', 'peers', 'seeds', 'etaSeconds']);
  });

  it('ends a download with name, size, time and average rate', () => {
    const done = status('seeding', { bytesDone: 64 * MiB, downloaded: 64 * MiB });
    expect(downloadSummary(done, 4000, true)).toBe('album: 64.0 MiB complete in 4.0s (downloaded 64.0 MiB, 16.0 MiB/s average)\n');
    const partial = status('stopped', { bytesDone: 16 * MiB, downloaded: 16 * MiB });
    expect(downloadSummary(partial, 2000, false)).toBe('album: stopped at 25.0% (16.0 MiB of 64.0 MiB) after 2.0s (downloaded 16.0 MiB, 8.00 MiB/s average); run the same command again to resume\n');
    expect(seedSummary(status('seeding', { bytesDone: 64 * MiB, uploaded: 8 * MiB }), 8000)).toBe('album: seeded for 8.0s, uploaded 8.00 MiB (1.00 MiB/s average), ratio -\n');
  });

  it('formats elapsed time', () => {
    expect(formatElapsed(812)).toBe('0.8s');
    expect(formatElapsed(187_000)).toBe('3m07s');
  });
});

describe('the demo', () => {
  it('splits the data into uneven files adding up to the size', () => {
    const files = demoLayout(64 * MiB);
    expect(files).toHaveLength(5);
    expect(files.reduce((sum, f) => sum + f.length, 0)).toBe(64 * MiB);
    expect(files.map((f) => f.path.join('/'))).toContain('music/album.bin');
    expect(demoLayout(3).map((f) => f.length)).toEqual([1, 1, 1]);
    expect(demoLayout(1001).reduce((sum, f) => sum + f.length, 0)).toBe(1001);
  });

  it('adds up the swarm for its line', () => {
    const a = status('downloading', { bytesDone: 32 * MiB, downloadRate: 8 * MiB, uploadRate: 2 * MiB, peers: 2 });
    const b = status('seeding', { bytesDone: 64 * MiB, uploadRate: MiB, peers: 2 });
    const seed = status('seeding', { bytesDone: 64 * MiB, uploadRate: 5 * MiB, peers: 2 });
    const totals = swarmTotals([a, b], seed);
    expect(totals).toEqual({ downloaders: 2, finished: 1, bytesDone: 96 * MiB, bytesWanted: 128 * MiB, downloadRate: 8 * MiB, uploadRate: 8 * MiB, connections: 3, etaSeconds: 4 });
    expect(swarmLine(totals)).toBe('demo [###############.....]  75.0%  down 8.00 MiB/s  ETA 4s  1 of 2 done  3 links  96.0 MiB of 128 MiB');
  });
});
