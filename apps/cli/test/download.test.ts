import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session, Torrent } from '@gtorr/client';
import { formatMagnet } from '@gtorr/metainfo';
import { freePort, startProcess, waitFor } from '@gtorr/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { expectAlbumIn, jsonLines, makeAlbum, startPeer, type AlbumTorrent } from './torrent-fixture.js';
import { main } from '../src/main.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-download-'));
let album: AlbumTorrent;
let seed: { session: Session; torrent: Torrent; port: number };
let seedPeer = '';

beforeAll(async () => {
  album = await makeAlbum(root);
  seed = await startPeer(album.metainfo, album.dataDir);
  await seed.torrent.whenDone({ signal: AbortSignal.timeout(10_000) });
  seedPeer = `127.0.0.1:${seed.port}`;
}, 20_000);

// Runs still going when the file ends (a failed assertion skips their stop) are stopped
// and awaited first, so that none writes into `root` after it is removed.
const runs = new Set<{ controller: AbortController; exit: Promise<number> }>();

afterAll(async () => {
  for (const run of runs) run.controller.abort(new Error('test over'));
  await Promise.allSettled([...runs].map((run) => run.exit));
  await seed?.session.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs gtorr; aborts it (as Ctrl-C would) after `timeoutMs` so that no run outlives the test. */
function start(args: string[], options: { tty?: boolean; timeoutMs?: number } = {}) {
  const controller = new AbortController();
  const io = captureIo({ cwd: root, tty: options.tty, signal: controller.signal });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('test timeout'));
  }, options.timeoutMs ?? 15_000);
  const exit = main(args, io).finally(() => clearTimeout(timer));
  runs.add({ controller, exit });
  return { io, controller, exit, timedOut: () => timedOut };
}

async function run(args: string[], options: { tty?: boolean; timeoutMs?: number } = {}) {
  const running = start(args, options);
  const code = await running.exit;
  expect(running.timedOut(), `gtorr ${args.join(' ')} did not finish in time:\n${running.io.err()}`).toBe(false);
  return { code, out: running.io.out(), err: running.io.err() };
}

const fresh = (name: string) => mkdtempSync(join(root, `${name}-`));
const local = ['--port', '0', '--host', '127.0.0.1'];

describe('gtorr download', () => {
  it('downloads a torrent from a peer given with --peer, every byte right, and exits 0', async () => {
    const out = fresh('plain');
    const { code, out: stdout, err } = await run(['download', album.torrentFile, '-o', out, '--peer', seedPeer, ...local]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expectAlbumIn(out, album.dataDir);
    expect(stdout).toMatch(/^album: 1\.43 MiB complete in \d+\.\ds \(downloaded 1\.43 MiB, .* average\)\n$/);
  }, 20_000);

  it('prints one JSON event a line with --json', async () => {
    const out = fresh('json');
    const { code, out: stdout } = await run(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--json', ...local]);
    expect(code).toBe(0);
    const events = jsonLines(stdout);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('listening');
    expect(events[0]!.port).toEqual(expect.any(Number));
    expect(names).toContain('metadata');
    expect(events.find((e) => e.event === 'metadata')).toMatchObject({ name: 'album', length: 1_500_000, pieceLength: 32768, files: 3 });
    expect(names).toContain('check');
    expect(names.filter((n) => n === 'done')).toHaveLength(1);
    expect(events.find((e) => e.event === 'done')).toMatchObject({ percent: 100, bytesDone: 1_500_000, bytesLeft: 0 });
    expect(events.at(-1)).toMatchObject({ event: 'stopped', complete: true });
    for (const e of events) expect(typeof e.time).toBe('number');
    expectAlbumIn(out, album.dataDir);
  }, 20_000);

  it('fetches the metadata of a magnet link from the peer, then the data', async () => {
    const out = fresh('magnet');
    const magnet = formatMagnet({ infoHash: album.metainfo.infoHash, name: 'album', peers: [seedPeer] });
    const { code, out: stdout } = await run(['download', magnet, '-o', out, '--json', ...local]);
    expect(code).toBe(0);
    const names = jsonLines(stdout).map((e) => e.event);
    expect(names).toContain('metadata');
    expect(names).toContain('done');
    expectAlbumIn(out, album.dataDir);
  }, 20_000);

  it('draws the live line on a terminal, on stderr (here with --sequential and --max-peers)', async () => {
    const out = fresh('tty');
    const { code, err } = await run(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--sequential', '--max-peers', '5', ...local], { tty: true });
    expect(code).toBe(0);
    expect(err).toContain('\r\x1b[2K');
  }, 20_000);

  it('stops cleanly on Ctrl-C, keeps resume data, exits 1; the same command then resumes', async () => {
    const out = fresh('interrupted');
    // 64 KiB/s: the 1.5 MB album would take 20 s, so Ctrl-C lands mid-way.
    const running = start(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--download-limit', '64K', '--json', ...local]);
    await waitFor('some verified pieces', () => jsonLines(running.io.out()).some((e) => e.event === 'progress' && (e.bytesDone as number) > 0), 10_000, 50);
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(1);
    expect(running.timedOut()).toBe(false);
    const events = jsonLines(running.io.out());
    const stopped = events.at(-1)!;
    expect(stopped).toMatchObject({ event: 'stopped', complete: false });
    expect(stopped.bytesDone as number).toBeGreaterThan(0);
    expect(stopped.bytesDone as number).toBeLessThan(1_500_000);
    expect(events.some((e) => e.event === 'done')).toBe(false);
    const resume = readdirSync(join(out, '.gtorr')).filter((name) => name.endsWith('.resume'));
    expect(resume).toHaveLength(1);

    const again = await run(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--json', ...local]);
    expect(again.code).toBe(0);
    const check = jsonLines(again.out).find((e) => e.event === 'check');
    expect(check?.verified as number).toBeGreaterThan(0);
    expectAlbumIn(out, album.dataDir);
  }, 30_000);

  it('prints a summary of how far it got when stopped, in text', async () => {
    const out = fresh('interrupted-text');
    const running = start(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--download-limit', '64K', ...local]);
    await waitFor('a resume file or some data', () => existsSync(join(out, 'album')), 10_000, 50);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(1);
    expect(running.io.out()).toMatch(/^album: stopped at \d+\.\d% \(.* of 1\.43 MiB\) after \d+\.\ds .*run the same command again to resume\n$/);
  }, 20_000);

  it('goes on seeding with --seed until Ctrl-C, then exits 0', async () => {
    const out = fresh('seed');
    const running = start(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--seed', '--json', ...local]);
    const port = await waitFor('the port', () => jsonLines(running.io.out()).find((e) => e.event === 'listening')?.port as number | undefined, 10_000, 20);
    await waitFor('done', () => jsonLines(running.io.out()).some((e) => e.event === 'done'), 10_000, 50);
    // Another peer can fetch the album from it alone.
    const other = await startPeer(album.metainfo, fresh('from-seeding-download'), [`127.0.0.1:${port}`]);
    try {
      await other.torrent.whenDone({ signal: AbortSignal.timeout(10_000) });
    } finally {
      await other.session.close();
    }
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(0);
    const stopped = jsonLines(running.io.out()).at(-1)!;
    expect(stopped).toMatchObject({ event: 'stopped', complete: true });
    expect(stopped.uploaded as number).toBeGreaterThan(0);
  }, 30_000);

  it('says on stderr, over the live line, when a peer given with --peer cannot be connected', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const running = start(['download', album.torrentFile, '-o', fresh('dead-peer'), '--peer', dead, ...local], { tty: true });
    // The line is cleared first, the message printed, then the line drawn again below it.
    const said = new RegExp(`\\r\\x1b\\[2Kgtorr: cannot connect to ${dead.replaceAll('.', '\\.')} \\(connection refused\\); trying again in \\d+s\\n\\r\\x1b\\[2K`);
    await waitFor('the failed dial', () => said.test(running.io.err()), 5000, 20);
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(1);
    expect(running.timedOut()).toBe(false);
    // Tried once, backing off for 11 s or more: one line, and no hint (a peer was given).
    expect(running.io.err().match(/cannot connect/g)).toHaveLength(1);
    expect(running.io.err()).not.toContain('no trackers');
  }, 15_000);

  it('prints a "peer:connect-failed" event for a peer that cannot be connected, with --json', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const running = start(['download', album.torrentFile, '-o', fresh('dead-peer-json'), '--peer', dead, '--json', ...local]);
    const failed = await waitFor('the event', () => jsonLines(running.io.out()).find((e) => e.event === 'peer:connect-failed'), 5000, 20);
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(1);
    expect(failed).toMatchObject({ address: dead, source: 'manual', code: 'ECONNREFUSED', message: expect.stringContaining('ECONNREFUSED') as string });
    expect(failed.retryInMs as number).toBeGreaterThan(0);
    expect(running.io.err()).toBe('');
  }, 15_000);

  it('says once that it waits for peers to come when the torrent has no trackers and no --peer is given', async () => {
    const running = start(['download', album.torrentFile, '-o', fresh('alone'), ...local]);
    const hint = /^gtorr: this torrent lists no trackers and no peers were given: waiting for peers to connect to us on port (\d+) \(add some with --peer HOST:PORT\)\n$/;
    await waitFor('the hint', () => hint.test(running.io.err()), 5000, 20);
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(1);
    expect(Number(hint.exec(running.io.err())![1])).toBeGreaterThan(0);
  }, 15_000);

  it('says at once that a magnet link with no trackers and no peers can only wait, with no DHT', async () => {
    const magnet = formatMagnet({ infoHash: album.metainfo.infoHash, name: album.metainfo.name });
    const running = start(['download', magnet, '-o', fresh('lone-magnet'), ...local]);
    const hint = /^gtorr: this magnet link names no trackers and no peers, and gtorr has no DHT yet: only a peer that connects to us on port (\d+) can send the torrent \(add peers with --peer HOST:PORT\)\n$/;
    await waitFor('the hint', () => hint.test(running.io.err()), 5000, 20);
    running.controller.abort(new Error('stopped by SIGINT'));
    expect(await running.exit).toBe(1);
    expect(running.io.err().match(/no DHT/g)).toHaveLength(1);
  }, 15_000);

  it('exits 1 with one line, and an "error" event, when the data cannot be written', async () => {
    const out = fresh('blocked');
    writeFileSync(join(out, 'album'), 'a file where the torrent\'s folder goes');
    const text = await run(['download', album.torrentFile, '-o', out, '--peer', seedPeer, ...local]);
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/^gtorr: .*expected a folder: .*album\n$/);
    const json = await run(['download', album.torrentFile, '-o', out, '--peer', seedPeer, '--json', ...local]);
    expect(json.code).toBe(1);
    expect(jsonLines(json.out).at(-1)).toMatchObject({ event: 'error', code: 'CLIENT_STORAGE_FAILED' });
  }, 20_000);

  it('stops on SIGINT as a process (the built bin), exit 1, with resume data', async () => {
    const out = fresh('process');
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const child = startProcess(process.execPath, [bin, 'download', album.torrentFile, '-o', out, '--peer', seedPeer, '--download-limit', '64K', ...local]);
    try {
      await waitFor('some data', () => existsSync(join(out, 'album', 'one.flac')), 10_000, 50);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      child.child.kill('SIGINT');
      const code = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
      expect(code, child.output()).toBe(1);
      expect(child.output()).toMatch(/album: stopped at \d+\.\d%/);
      expect(readdirSync(join(out, '.gtorr')).some((name) => name.endsWith('.resume'))).toBe(true);
    } finally {
      await child.stop();
    }
  }, 30_000);

  it.each([
    [['download'], /download takes one \.torrent file or magnet link/],
    [['download', 'a.torrent', 'b.torrent'], /download takes one/],
    [['download', 'album.torrent', '--peer', 'localhost'], /--peer must be HOST:PORT/],
    [['download', 'album.torrent', '--peer', '127.0.0.1:0'], /--peer must be HOST:PORT/],
    [['download', 'album.torrent', '--port', '99999'], /--port must be a whole number/],
    [['download', 'album.torrent', '--download-limit', 'fast'], /--download-limit must be bytes per second/],
    [['download', 'album.torrent', '--max-peers', '0'], /--max-peers/],
    [['download', 'album.torrent', '--bogus'], /bogus/],
    [['download', 'missing.torrent'], /cannot read missing\.torrent: no such file/],
    [['download', 'junk.torrent'], /junk\.torrent: not a usable torrent/],
    [['download', 'magnet:?xt=urn:btih:1234'], /not a usable magnet link/],
    [['download', 'album.torrent', '-o', 'album.torrent'], /cannot use album\.torrent as the download folder/],
  ])('exits 2 with one line on bad usage: %j', async (args, message) => {
    writeFileSync(join(root, 'junk.torrent'), 'd4:junk');
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.split('\n')).toHaveLength(2);
    expect(out).toBe('');
  });

  it('has help with examples, and is listed first in gtorr --help', async () => {
    const { code, out } = await run(['download', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: gtorr download <torrent-file|magnet> [-o DIR] [--peer HOST:PORT]...');
    expect(out).toContain('Examples:');
    const overview = (await run(['--help'])).out;
    expect(overview).toMatch(/Commands:\n {2}download\s+download a torrent/);
    expect(overview.indexOf('  seed')).toBeLessThan(overview.indexOf('  create'));
    expect(overview.indexOf('  tracker')).toBeLessThan(overview.indexOf('  demo'));
  });
});
