import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTorrent, toHex } from '@gtorr/metainfo';
import { afterAll, describe, expect, it } from 'vitest';
import { create, parsePieceLength } from '../src/commands/create.js';
import { captureIo, type CapturedIo } from './capture-io.js';
import { main } from '../src/main.js';

const work = mkdtempSync(join(tmpdir(), 'gtorr-cli-create-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const content = join(work, 'album');
mkdirSync(join(content, 'disc 1'), { recursive: true });
writeFileSync(join(content, 'disc 1', 'track.flac'), randomBytes(70_000));
writeFileSync(join(content, 'cover.jpg'), randomBytes(20_000));
writeFileSync(join(content, 'empty.txt'), '');
writeFileSync(join(content, '.DS_Store'), 'x');

let runs = 0;
/** A fresh output folder as cwd, and captured streams. */
function capture(options: { tty?: boolean; signal?: AbortSignal } = {}): CapturedIo {
  const cwd = join(work, `run-${runs++}`);
  mkdirSync(cwd);
  return captureIo({ ...options, cwd });
}

describe('gtorr create', () => {
  it('writes <name>.torrent in the current folder as v1, and prints its info hash', async () => {
    const io = capture();
    expect(await main(['create', content], io)).toBe(0);
    const output = join(io.cwd, 'album.torrent');
    const parsed = parseTorrent(readFileSync(output));
    expect(parsed.version).toBe(1);
    expect(parsed.files.map((f) => f.path.join('/'))).toEqual(['cover.jpg', 'disc 1/track.flac', 'empty.txt']);
    expect(io.out()).toContain(`created       ${output}`);
    expect(io.out()).toContain(`info hash v1  ${toHex(parsed.infoHash.v1!)}`);
    expect(io.out()).toContain(`magnet        magnet:?xt=urn:btih:${toHex(parsed.infoHash.v1!)}`);
    expect(parsed.createdBy).toMatch(/^gtorr\/\d+\.\d+\.\d+/);
  });

  it('makes tiers of -t (commas share a tier), web seeds, private, comment and a chosen piece length', async () => {
    const io = capture();
    const args = ['create', content, '--hybrid', '-t', 'udp://a.example:6969,udp://b.example:6969', '-t', 'http://c.example/announce', '-w', 'http://seed.example/', '--private', '--comment', 'hi', '--piece-length', '32K', '-o', 'x.torrent'];
    expect(await main(args, io)).toBe(0);
    const parsed = parseTorrent(readFileSync(join(io.cwd, 'x.torrent')));
    expect(parsed.version).toBe('hybrid');
    expect(parsed.announce).toEqual([['udp://a.example:6969', 'udp://b.example:6969'], ['http://c.example/announce']]);
    expect(parsed.urlList).toEqual(['http://seed.example/']);
    expect(parsed.private).toBe(true);
    expect(parsed.comment).toBe('hi');
    expect(parsed.pieceLength).toBe(32768);
    expect(io.out()).toContain(`info hash v2  ${toHex(parsed.infoHash.v2!)}`);
    expect(io.out()).toContain(`&tr=${encodeURIComponent('udp://a.example:6969')}`);
  });

  it('refuses to overwrite without --force (exit 2), and overwrites with it', async () => {
    const io = capture();
    writeFileSync(join(io.cwd, 'album.torrent'), 'keep me');
    expect(await main(['create', content], io)).toBe(2);
    expect(io.err()).toMatch(/album\.torrent exists \(use --force/);
    expect(readFileSync(join(io.cwd, 'album.torrent'), 'utf8')).toBe('keep me');
    expect(await main(['create', content, '--force', '--v2'], io)).toBe(0);
    expect(parseTorrent(readFileSync(join(io.cwd, 'album.torrent'))).version).toBe(2);
  });

  it('gives the same bytes twice with --no-date', async () => {
    const io = capture();
    expect(await main(['create', content, '--no-date', '-o', 'a.torrent'], io)).toBe(0);
    expect(await main(['create', content, '--no-date', '-o', 'b.torrent'], io)).toBe(0);
    expect(readFileSync(join(io.cwd, 'a.torrent')).equals(readFileSync(join(io.cwd, 'b.torrent')))).toBe(true);
    expect(parseTorrent(readFileSync(join(io.cwd, 'a.torrent'))).creationDate).toBeUndefined();
  });

  it('includes hidden files with --include-hidden', async () => {
    const io = capture();
    expect(await main(['create', content, '--include-hidden'], io)).toBe(0);
    expect(parseTorrent(readFileSync(join(io.cwd, 'album.torrent'))).files.map((f) => f.path[0])).toContain('.DS_Store');
  });

  it('prints JSON events with --json, ending with torrent:created', async () => {
    const io = capture();
    expect(await main(['create', content, '--json', '--v2'], io)).toBe(0);
    const events = io.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const last = events.at(-1)!;
    expect(last.event).toBe('torrent:created');
    const parsed = parseTorrent(readFileSync(join(io.cwd, 'album.torrent')));
    expect(last.infoHashV2).toBe(toHex(parsed.infoHash.v2!));
    expect(last.infoHash).toBeNull();
    expect(last.output).toBe(join(io.cwd, 'album.torrent'));
    expect(events.filter((e) => e.event === 'hash:progress').at(-1)).toMatchObject({ bytesHashed: parsed.length, totalBytes: parsed.length });
  });

  it('draws a progress line on a terminal and clears it', async () => {
    const io = capture({ tty: true });
    expect(await main(['create', content], io)).toBe(0);
    expect(io.err()).toContain('hashing [');
    expect(io.err()).toContain('100.0%');
    expect(io.err().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('stops on Ctrl-C with exit 1 and writes nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by SIGINT'));
    const io = capture({ signal: controller.signal });
    expect(await main(['create', content], io)).toBe(1);
    expect(io.err()).toContain('stopped by SIGINT');
    expect(existsSync(join(io.cwd, 'album.torrent'))).toBe(false);
  });

  it.each([
    [['create'], /one file or folder/],
    [['create', 'a', 'b'], /one file or folder/],
    [['create', '--bogus', 'x'], /bogus/],
    [['create', 'x', '--v1', '--v2'], /choose one of/],
    [['create', 'x', '--piece-length', '1000'], /power of two/],
    [['create', 'x', '--threads', '0'], /--threads/],
    [['create', 'x', '-t', 'not a url'], /not a URL/],
    [['create', 'no-such-folder'], /no such file or folder/],
  ])('exits 2 on bad usage or input: %j', async (args, message) => {
    const io = capture();
    expect(await main(args, io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('exits 2 on a folder with nothing to share', async () => {
    const io = capture();
    const bare = join(io.cwd, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, '.hidden'), 'x');
    expect(await main(['create', bare], io)).toBe(2);
    expect(io.err()).toContain('nothing to share');
  });

  it('reads piece lengths with K and M suffixes', () => {
    expect(parsePieceLength('16384')).toBe(16384);
    expect(parsePieceLength('256K')).toBe(262144);
    expect(parsePieceLength('4MiB')).toBe(4 * 1024 * 1024);
    expect(() => parsePieceLength('3M')).toThrow(/power of two/);
    expect(() => parsePieceLength('8K')).toThrow(/power of two/);
  });

  it('has help with usage, the v1 default explained, and examples', () => {
    expect(create.help).toMatch(/^Usage: gtorr create/);
    expect(create.help).toContain('Why v1 by default');
    expect(create.help).toContain('Examples:');
  });
});
