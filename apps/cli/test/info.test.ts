import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '@gtorr/bencode';
import { fixturePath, fixturesDir, torrentFixtures } from '@gtorr/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo, type CapturedIo } from './capture-io.js';
import { main } from '../src/main.js';

function capture(cwd = fixturesDir): CapturedIo {
  return captureIo({ cwd });
}

async function run(...args: string[]) {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const fixture = (file: string) => torrentFixtures().find((f) => f.file === file)!;
const V1 = 'c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd';
const V2 = '8fca416779576b00264414a484109a8fe4825bef7f80cea158ba5a32e204f79d';

describe('gtorr info --json', () => {
  it('prints exactly the ARCHITECTURE.md schema for a torrent file', async () => {
    const { code, out, err } = await run('info', '--json', 'torrents/libtorrent/hybrid-multi.torrent');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['infoHash', 'infoHashV2', 'name', 'pieceLength', 'pieceCount', 'length', 'private', 'announce', 'urlList', 'files']);
    const expected = fixture('torrents/libtorrent/hybrid-multi.torrent').expected!;
    expect(json).toMatchObject({ infoHash: expected.infoHash, infoHashV2: expected.infoHashV2, name: 'multi', pieceLength: 16384, pieceCount: expected.pieceCount, private: false });
    expect(json.announce).toEqual([['http://127.0.0.1:6969/announce'], ['udp://127.0.0.1:6969']]);
    expect(json.urlList).toEqual([]);
    for (const file of json.files) expect(Object.keys(file)).toEqual(['path', 'length', 'offset', 'padding']);
    expect(json.files[0]).toEqual({ path: ['bin', 'tool.sh'], length: 300, offset: 0, padding: false });
    expect(json.files[1]).toEqual({ path: ['.pad', '16084'], length: 16084, offset: 300, padding: true });
    const real = json.files.filter((f: { padding: boolean }) => !f.padding);
    expect(real).toHaveLength(expected.fileCount);
  });

  it('gives a v1-only torrent a null infoHashV2, and a single file its name as path', async () => {
    const json = JSON.parse((await run('info', '--json', 'torrents/mktorrent/single.torrent')).out);
    expect(json.infoHash).toBe(fixture('torrents/mktorrent/single.torrent').expected!.infoHash);
    expect(json.infoHashV2).toBeNull();
    expect(json.urlList).toEqual(['http://127.0.0.1:8080/single.bin']);
    expect(json.files).toEqual([{ path: ['single.bin'], length: 70000, offset: 0, padding: false }]);
  });

  it('prints a magnet link with its peers and one tier per tracker', async () => {
    const { code, out } = await run('info', '--json', `magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}&dn=Sintel&tr=udp%3A%2F%2F127.0.0.1%3A6969&tr=http://127.0.0.1:6970/announce&ws=http://127.0.0.1:8080/&x.pe=127.0.0.1:6881`);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      infoHash: V1,
      infoHashV2: V2,
      name: 'Sintel',
      private: false,
      announce: [['udp://127.0.0.1:6969'], ['http://127.0.0.1:6970/announce']],
      urlList: ['http://127.0.0.1:8080/'],
      files: [],
      peers: ['127.0.0.1:6881'],
    });
  });
});

describe('gtorr info (text)', () => {
  it('summarises a torrent: name, hashes, size, pieces, trackers, files without pads', async () => {
    const { code, out } = await run('info', 'torrents/libtorrent/hybrid-multi.torrent');
    expect(code).toBe(0);
    const expected = fixture('torrents/libtorrent/hybrid-multi.torrent').expected!;
    expect(out).toMatch(/^name +multi$/m);
    expect(out).toContain(expected.infoHash!);
    expect(out).toContain(expected.infoHashV2!);
    expect(out).toMatch(/^version +hybrid/m);
    expect(out).toContain(`(${expected.length} bytes) in ${expected.fileCount} files`);
    expect(out).toContain('tier 2: udp://127.0.0.1:6969');
    expect(out).toContain('docs/nested/deeper/leaf.bin');
    expect(out).not.toContain('.pad/');
    expect(out).toContain(`magnet:?xt=urn:btih:${expected.infoHash}`);
  });

  it('escapes control characters from the file instead of sending them to the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtorr-info-'));
    try {
      const bytes = encode({ comment: 'hi\u001b[2J\u202eevil', info: { name: 'x', 'piece length': 16384, length: 1, pieces: new Uint8Array(20) } });
      writeFileSync(join(dir, 'a.torrent'), bytes);
      const io = capture(dir);
      expect(await main(['info', 'a.torrent'], io)).toBe(0);
      expect(io.out()).toContain('hi\\u{1b}[2J\\u{202e}evil');
      expect(io.out()).not.toContain('\u001b');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('summarises a magnet link', async () => {
    const { code, out } = await run('info', `magnet:?xt=urn:btih:${V1}&dn=Sintel&xl=1024&so=0,2-3`);
    expect(code).toBe(0);
    expect(out).toMatch(/^name +Sintel$/m);
    expect(out).toContain(V1);
    expect(out).toMatch(/^select only +0,2-3$/m);
  });
});

describe('gtorr info refuses bad input with exit 2 and one line', () => {
  const hostile = torrentFixtures().filter((f) => f.error !== undefined);

  it.each(hostile.map((f) => [f.file, f.error] as const))('%s', async (file) => {
    const { code, out, err } = await run('info', '--json', file);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^gtorr: .*not a usable torrent: .+\n$/);
    expect(err.split('\n')).toHaveLength(2);
  });

  it.each([
    [['info'], /one \.torrent file or magnet link/],
    [['info', 'a', 'b'], /one \.torrent file or magnet link/],
    [['info', '--frob', 'x'], /Unknown option '--frob'/],
    [['info', 'no-such.torrent'], /cannot read no-such\.torrent: no such file/],
    [['info', 'torrents'], /is a folder/],
    [['info', 'magnet:?dn=x'], /no BitTorrent info hash/],
    [['info', 'magnet:?xt=urn:btih:xyz'], /urn:btih: takes 40 hex/],
  ])('%j', async (args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n {4}at /);
  });

  it('shows help with examples', async () => {
    const { code, out } = await run('info', '--help');
    expect(code).toBe(0);
    expect(out).toContain('Usage: gtorr info [--json] <torrent-file|magnet>');
    expect(out).toContain('Examples:');
  });
});

describe('gtorr info through the built bin', () => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'gtorr-info-bin-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints JSON with exit 0, and refuses a hostile file with exit 2 and no stack trace', () => {
    const ok = spawnSync(process.execPath, [bin, 'info', '--json', fixturePath('torrents/webtorrent/sintel.torrent')], { encoding: 'utf8', timeout: 20_000, cwd: scratch });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).infoHash).toBe(V1);
    const bad = spawnSync(process.execPath, [bin, 'info', fixturePath('torrents/hostile/path-traversal.torrent')], { encoding: 'utf8', timeout: 20_000, cwd: scratch });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^gtorr: .*unsafe path component "\.\."/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
