// Torrents we create, read by the reference implementations: libtorrent (v1, v2, hybrid),
// mktorrent (v1, byte for byte), transmission 3.00 (v1). Loopback and local files only.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interop } from '@gtorr/interop';
import { afterAll, describe, expect, it } from 'vitest';
import { createTorrent, parseTorrent, type TorrentVersion } from '../../src/index.js';
import { libtorrentCreate, libtorrentRead } from '../v2/libtorrent.js';
import { hex, NESTED_TREE, tempDir, writeTree } from './helpers.js';

const label = (version: TorrentVersion) => (version === 'hybrid' ? 'hybrid' : `v${version}`);
const fixed = { creationDate: 1_700_000_000, createdBy: 'gtorr/test' } as const;
const work = tempDir('create-interop');
afterAll(() => work.cleanup());
const nested = join(work.path, 'nested');
writeTree(nested, NESTED_TREE);
const single = join(work.path, 'single.bin');
writeTree(work.path, { 'single.bin': 100_001 });

async function ours(path: string, version: TorrentVersion, pieceLength: number, file: string) {
  const created = await createTorrent(path, { version, pieceLength, threads: 2, ...fixed });
  const out = join(work.path, file);
  writeFileSync(out, created.torrent);
  return { created, out };
}

describe.runIf(interop('libtorrent'))('created torrents in libtorrent', () => {
  const cases: [TorrentVersion, string, number][] = [
    [1, nested, 32768],
    [2, nested, 32768],
    ['hybrid', nested, 32768],
    ['hybrid', nested, 16384],
    [1, single, 16384],
    [2, single, 16384],
    ['hybrid', single, 65536],
  ];
  for (const [version, path, pieceLength] of cases) {
    const what = `${label(version)}, ${path === nested ? 'nested folders' : 'one file'}, ${pieceLength / 1024} KiB pieces`;
    it(`loads ours with the same info hashes, files and pieces (${what})`, async () => {
      const { created, out } = await ours(path, version, pieceLength, `lt-${version}-${pieceLength}-${path === nested ? 'dir' : 'file'}.torrent`);
      const view = libtorrentRead(out);
      expect(view.infoHash).toBe(hex(created.infoHash.v1));
      expect(view.infoHashV2).toBe(hex(created.infoHash.v2));
      expect(view.pieceCount).toBe(created.pieceCount);
      expect(view.pieceLength).toBe(pieceLength);
      const real = view.files.filter((f) => !f.padding).map((f) => [f.path.join('/'), f.length]);
      expect(real).toEqual(created.files.map((f) => [(path === nested ? ['nested', ...f.path] : f.path).join('/'), f.length]));
    });
  }

  // libtorrent's torrent of the same files (sorted, creation date pinned, no tracker): the
  // info dictionaries must be the same bytes, so the info hashes are equal.
  for (const version of [1, 2, 'hybrid'] as const) {
    for (const [path, pieceLength] of [
      [nested, 32768],
      [nested, 16384],
      [single, 65536],
    ] as const) {
      it(`writes the very info dictionary libtorrent writes (${label(version)}, ${path === nested ? 'nested folders' : 'one file'}, ${pieceLength / 1024} KiB)`, async () => {
        const theirs = join(work.path, `by-libtorrent-${version}-${pieceLength}-${path === nested ? 'dir' : 'file'}.torrent`);
        libtorrentCreate(path, pieceLength, version === 'hybrid' ? 'hybrid' : `v${version}`, theirs);
        const { created } = await ours(path, version, pieceLength, `same-${version}-${pieceLength}-${path === nested ? 'dir' : 'file'}.torrent`);
        const view = libtorrentRead(theirs);
        expect(hex(created.infoHash.v2)).toBe(view.infoHashV2);
        expect(hex(created.infoHash.v1)).toBe(view.infoHash);
      });
    }
  }
});

describe.runIf(interop('mktorrent'))('created torrents against mktorrent', () => {
  // mktorrent sorts whole path strings and keeps hidden files; this folder sorts the same
  // either way and has no hidden file, so the v1 info dictionaries must match byte for byte.
  for (const [path, pieceExponent] of [
    [nested, 15],
    [single, 15],
  ] as const) {
    it(`gives the info hash mktorrent gives (v1, ${path === nested ? 'nested folders' : 'one file'})`, async () => {
      const theirs = join(work.path, `mktorrent-${path === nested ? 'dir' : 'file'}.torrent`);
      execFileSync('mktorrent', ['-d', '-l', String(pieceExponent), '-a', 'http://127.0.0.1:1/announce', '-o', theirs, path], { stdio: 'pipe', timeout: 20_000 });
      const { created } = await ours(path, 1, 2 ** pieceExponent, `vs-mktorrent-${path === nested ? 'dir' : 'file'}.torrent`);
      expect(hex(created.infoHash.v1)).toBe(hex(parseTorrent(readFileSync(theirs)).infoHash.v1));
    });
  }
});

describe.runIf(interop('transmission'))('created torrents in transmission-show 3.00', () => {
  const show = (file: string) => spawnSync('transmission-show', [file], { encoding: 'utf8', timeout: 20_000 });

  it('reads our v1 torrent with the same info hash, pieces and files', async () => {
    const { created, out } = await ours(nested, 1, 32768, 'transmission-v1.torrent');
    const result = show(out);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Hash: ${hex(created.infoHash.v1)}`);
    expect(result.stdout).toContain(`Piece Count: ${created.pieceCount}`);
    for (const file of created.files) expect(result.stdout).toContain(`nested/${file.path.join('/')} (`);
  });

  // transmission 3.00's bencode reader refuses any dictionary with an empty key, and BEP 52
  // file trees need one for every file: it reads no v2 or hybrid torrent from anyone
  // (transmission 4 does). This pins that down, so a change on our side is not blamed.
  it.runIf(interop('libtorrent'))('refuses hybrid torrents from libtorrent and from us alike', async () => {
    const { out } = await ours(nested, 'hybrid', 32768, 'transmission-hybrid.torrent');
    const theirs = join(work.path, 'transmission-hybrid-by-libtorrent.torrent');
    libtorrentCreate(nested, 32768, 'hybrid', theirs);
    const a = show(out);
    const b = show(theirs);
    expect(a.status).not.toBe(0);
    expect(b.status).toBe(a.status);
    expect(a.stderr).toContain('Error parsing .torrent file');
  });
});
