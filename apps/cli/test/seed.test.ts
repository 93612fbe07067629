import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMagnet } from '@gtorr/metainfo';
import { freePort, waitFor } from '@gtorr/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { expectAlbumIn, jsonLines, makeAlbum, startPeer, type AlbumTorrent } from './torrent-fixture.js';
import { main } from '../src/main.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-seed-'));
let album: AlbumTorrent;

beforeAll(async () => {
  album = await makeAlbum(root);
});
// Seeds still running when the file ends (a failed assertion skips their stop) are stopped
// and awaited first, so that none writes resume data into `root` after it is removed.
const runs = new Set<{ controller: AbortController; exit: Promise<number> }>();
afterAll(async () => {
  for (const run of runs) run.controller.abort(new Error('test over'));
  await Promise.allSettled([...runs].map((run) => run.exit));
  rmSync(root, { recursive: true, force: true });
});

/** Starts `gtorr seed`; it runs until the returned controller is aborted (or 20 s pass). */
function startSeed(args: string[]) {
  const controller = new AbortController();
  const io = captureIo({ cwd: root, signal: controller.signal });
  const timer = setTimeout(() => controller.abort(new Error('test timeout')), 20_000);
  const exit = main(['seed', ...args], io).finally(() => clearTimeout(timer));
  runs.add({ controller, exit });
  return { io, controller, exit };
}

/** The port from the "listening" event, once the data is checked (a torrent being checked turns peers away). */
async function listeningPort(io: { out(): string }): Promise<number> {
  const port = await waitFor('the "listening" event', () => jsonLines(io.out()).find((e) => e.event === 'listening')?.port as number | undefined, 10_000, 20);
  await waitFor('the "check" event', () => jsonLines(io.out()).some((e) => e.event === 'check'), 10_000, 20);
  return port;
}

/** Fetches the album from 127.0.0.1:port with an in-process session, then closes it. */
async function leech(port: number): Promise<string> {
  const dir = mkdtempSync(join(root, 'leech-'));
  const peer = await startPeer(album.metainfo, dir, [`127.0.0.1:${port}`]);
  try {
    await peer.torrent.whenDone({ signal: AbortSignal.timeout(15_000) });
  } finally {
    await peer.session.close();
  }
  return dir;
}

describe('gtorr seed', () => {
  it('prints "listening" first with --json, serves a leecher every byte, and exits 0 on Ctrl-C', async () => {
    const data = mkdtempSync(join(root, 'seed-'));
    cpSync(join(album.dataDir, 'album'), join(data, 'album'), { recursive: true });
    const seed = startSeed([album.torrentFile, '-d', data, '--port', '0', '--host', '127.0.0.1', '--json']);
    try {
      const port = await listeningPort(seed.io);
      expect(jsonLines(seed.io.out())[0]).toMatchObject({ event: 'listening', port });
      expect(port).toBeGreaterThan(0);
      const dir = await leech(port);
      expectAlbumIn(dir, album.dataDir);
      await waitFor('a progress event showing the upload', () => jsonLines(seed.io.out()).some((e) => e.event === 'progress' && (e.uploaded as number) >= 1_500_000), 5000, 50);
    } finally {
      seed.controller.abort(new Error('stopped by SIGINT'));
    }
    expect(await seed.exit).toBe(0);
    const events = jsonLines(seed.io.out());
    expect(events.find((e) => e.event === 'check')).toMatchObject({ verified: 46, pieceCount: 46 });
    expect(events.some((e) => e.event === 'warning')).toBe(false);
    expect(events.at(-1)).toMatchObject({ event: 'stopped', percent: 100 });
    expect(events.at(-1)!.uploaded as number).toBeGreaterThanOrEqual(1_500_000);
    expect(seed.io.err()).toBe('');
  }, 30_000);

  it('warns when data is missing, and serves the rest', async () => {
    const data = mkdtempSync(join(root, 'partial-'));
    cpSync(join(album.dataDir, 'album'), join(data, 'album'), { recursive: true });
    rmSync(join(data, 'album', 'two.flac'));
    const seed = startSeed([album.torrentFile, '-d', data, '--port', '0', '--host', '127.0.0.1', '--json']);
    try {
      await listeningPort(seed.io);
      const warning = await waitFor('the warning', () => jsonLines(seed.io.out()).find((e) => e.event === 'warning'), 10_000, 20);
      expect(warning).toMatchObject({ code: 'INCOMPLETE', pieceCount: 46 });
      expect(warning.verified as number).toBeLessThan(46);
      expect(warning.verified as number).toBeGreaterThan(20);
    } finally {
      seed.controller.abort(new Error('stopped by SIGINT'));
    }
    expect(await seed.exit).toBe(0);
  }, 30_000);

  it('says where it serves in text, and ends with a summary line', async () => {
    const data = mkdtempSync(join(root, 'text-'));
    cpSync(join(album.dataDir, 'album'), join(data, 'album'), { recursive: true });
    const seed = startSeed([album.torrentFile, '-d', data, '--port', '0', '--host', '127.0.0.1']);
    let port = 0;
    try {
      port = Number(await waitFor('the port', () => /on port (\d+);/.exec(seed.io.out())?.[1], 10_000, 20));
      await waitFor('the check', () => seed.io.out().includes('checked the data'), 10_000, 20);
      await leech(port);
    } finally {
      seed.controller.abort(new Error('stopped by SIGINT'));
    }
    expect(await seed.exit).toBe(0);
    expect(seed.io.out()).toMatch(/^gtorr seed: serving album \(1\.43 MiB\) on port \d+; press Ctrl-C to stop\ngtorr seed: checked the data: all 46 pieces are here\nalbum: seeded for \d+\.\ds, uploaded 1\.43 MiB \(.* average\), ratio -\n$/);
  }, 30_000);

  it.each([
    [['seed'], /seed takes one \.torrent file/],
    [['seed', 'album.torrent'], /needs the folder holding the data: -d DIR/],
    [['seed', 'album.torrent', '-d', 'nowhere'], /no such folder: nowhere/],
    [['seed', 'album.torrent', '-d', '.', '--download-limit', '1M'], /download-limit/],
    [['seed', 'album.torrent', '-d', '.', '--port', 'x'], /--port must be a whole number/],
    [['seed', 'album.torrent', '-d', '.', '--peer', 'nope'], /--peer must be HOST:PORT/],
  ])('exits 2 with one line on bad usage: %j', async (args, message) => {
    const io = captureIo({ cwd: root });
    expect(await main(args, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err().split('\n')).toHaveLength(2);
  });

  it('refuses a magnet link: there is no data to serve without the torrent', async () => {
    const io = captureIo({ cwd: root });
    const magnet = formatMagnet({ infoHash: album.metainfo.infoHash, name: 'album' });
    expect(await main(['seed', magnet, '-d', '.'], io)).toBe(2);
    expect(io.err()).toMatch(/seed takes a \.torrent file/);
  });

  it('says on stderr when a peer given with --peer cannot be connected', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const data = mkdtempSync(join(root, 'seed-'));
    cpSync(join(album.dataDir, 'album'), join(data, 'album'), { recursive: true });
    const seed = startSeed([album.torrentFile, '-d', data, '--peer', dead, '--port', '0', '--host', '127.0.0.1']);
    const said = `gtorr: cannot connect to ${dead} (connection refused); trying again in `;
    await waitFor('the failed dial', () => seed.io.err().includes(said), 5000, 20);
    seed.controller.abort(new Error('stopped by SIGINT'));
    expect(await seed.exit).toBe(0);
    expect(seed.io.err()).toMatch(/^gtorr: cannot connect to [^\n]+; trying again in \d+s\n$/);
  }, 15_000);

  it('has help with examples', async () => {
    const io = captureIo({ cwd: root });
    expect(await main(['seed', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: gtorr seed <torrent-file> -d DIR [--port N]');
    expect(io.out()).toContain('Examples:');
  });
});
