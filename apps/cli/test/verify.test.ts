import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTorrent } from '@gtorr/metainfo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo, type CapturedIo } from './capture-io.js';
import { main } from '../src/main.js';
import { bytes } from './torrent-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function capture(options: { tty?: boolean; signal?: AbortSignal } = {}): CapturedIo {
  return captureIo({ ...options, cwd: root });
}

async function run(args: string[], options: { tty?: boolean; signal?: AbortSignal } = {}) {
  const io = capture(options);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** A fresh copy of the data folder `album` (three files) beside its hybrid torrent. */
let torrentFile = '';
function freshData(): string {
  const dir = mkdtempSync(join(root, 'dl-'));
  mkdirSync(join(dir, 'album', 'disc 2'), { recursive: true });
  writeFileSync(join(dir, 'album', 'one.flac'), bytes(300_000, 1));
  writeFileSync(join(dir, 'album', 'two.flac'), bytes(150_000, 2));
  writeFileSync(join(dir, 'album', 'disc 2', 'three.flac'), bytes(90_000, 3));
  return dir;
}

beforeAll(async () => {
  const created = await createTorrent(join(freshData(), 'album'), { version: 'hybrid', pieceLength: 32768, creationDate: null });
  torrentFile = join(root, 'album.torrent');
  writeFileSync(torrentFile, created.torrent);
});

describe('gtorr verify', () => {
  it('says every file is complete and exits 0 when the data is all there', async () => {
    const dir = freshData();
    const { code, out, err } = await run(['verify', torrentFile, '-d', dir]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^complete\s+.*one\.flac$/m);
    expect(out).toMatch(/^complete\s+.*disc 2\/three\.flac$/m);
    expect(out).toContain('3 files: 3 complete, 0 partial, 0 missing');
    expect(out).toContain('all data is present and correct');
  });

  it('says partial and missing, and exits 1, when data is corrupt or gone', async () => {
    const dir = freshData();
    const two = join(dir, 'album', 'two.flac');
    const data = readFileSync(two);
    data[100_000]! ^= 0xff;
    writeFileSync(two, data);
    rmSync(join(dir, 'album', 'disc 2', 'three.flac'));
    const { code, out } = await run(['verify', torrentFile, '--dir', dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/^partial\s+.*two\.flac\s+\(\d+\.\d% verified\)$/m);
    expect(out).toMatch(/^missing\s+.*three\.flac$/m);
    expect(out).toMatch(/^complete\s+.*one\.flac$/m);
    expect(out).toContain('1 complete, 1 partial, 1 missing');
    expect(out).toContain('data is missing or corrupt');
  });

  it('prints one JSON event a line with --json', async () => {
    const dir = freshData();
    rmSync(join(dir, 'album', 'one.flac'));
    const { code, out } = await run(['verify', torrentFile, '-d', dir, '--json']);
    expect(code).toBe(1);
    const events = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const files = events.filter((e) => e.event === 'file');
    expect(files.map((f) => [(f.path as string[]).join('/'), f.state])).toEqual([
      ['disc 2/three.flac', 'complete'],
      ['one.flac', 'missing'],
      ['two.flac', 'complete'],
    ]);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', complete: false, files: { total: 3, complete: 2, partial: 0, missing: 1 } });
    expect(typeof summary.time).toBe('number');
  });

  it('draws a progress line on a terminal, on stderr', async () => {
    const { code, err } = await run(['verify', torrentFile, '-d', freshData()], { tty: true });
    expect(code).toBe(0);
    expect(err).toContain('\r\x1b[2Kchecking [');
  });

  it('stops on Ctrl-C (the signal) and exits 1', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by SIGINT'));
    const { code, err } = await run(['verify', torrentFile, '-d', freshData()], { signal: controller.signal });
    expect(code).toBe(1);
    expect(err).toBe('gtorr: stopped by SIGINT\n');
  });

  it.each([
    [['verify'], /verify takes one \.torrent file/],
    [['verify', 'album.torrent'], /needs the download folder/],
    [['verify', 'album.torrent', '-d', 'nowhere'], /no such folder: nowhere/],
    [['verify', 'album.torrent', '-d', 'album.torrent'], /is not a folder/],
    [['verify', 'album.torrent', '-d', '.', '--bogus'], /bogus/],
    [['verify', 'missing.torrent', '-d', '.'], /cannot read missing\.torrent/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.split('\n')).toHaveLength(2);
  });

  it('exits 2 on a file that is not a torrent', async () => {
    writeFileSync(join(root, 'junk.torrent'), 'd4:junk');
    const { code, err } = await run(['verify', 'junk.torrent', '-d', '.']);
    expect(code).toBe(2);
    expect(err).toMatch(/not a usable torrent/);
  });

  it('has help with examples', async () => {
    const { code, out } = await run(['verify', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: gtorr verify <torrent-file> -d DIR');
    expect(out).toContain('Examples:');
    expect((await run(['--help'])).out).toMatch(/verify\s+check downloaded data/);
  });
});
