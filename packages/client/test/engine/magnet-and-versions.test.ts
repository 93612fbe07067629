import { formatMagnet, toHex } from '@gtorr/metainfo';
import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, makeFixture, nextEvent, PIECE_LENGTH, sameFiles, startSeeder, startSession, tempDir } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session: a magnet link (BEP 9)', { timeout: 20_000 }, () => {
  it('fetches the metadata from the peer named in x.pe, then the files, byte for byte', async () => {
    const fixture = await makeFixture([300_000, 5, 120_000]);
    const seeder = await startSeeder(fixture);
    const magnet = formatMagnet({ infoHash: { v1: fixture.metainfo.infoHash.v1, v2: null }, peers: [seeder.address] });
    expect(magnet).toBe(`magnet:?xt=urn:btih:${toHex(fixture.metainfo.infoHash.v1!)}&x.pe=${encodeURIComponent(seeder.address)}`);

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, magnet, { directory: out });
    expect(torrent.metainfo).toBeUndefined();
    const [metainfo] = await nextEvent(torrent, 'metadata', 10_000);
    expect(Buffer.from(metainfo.infoBytes).equals(Buffer.from(fixture.metainfo.infoBytes))).toBe(true);
    expect(torrent.name).toBe(fixture.metainfo.name);
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
  });
});

describe('Session: BEP 52 torrents', { timeout: 20_000 }, () => {
  // Sizes off the piece length, so v2's per-file piece alignment (and the hybrid's pad files) matter.
  const sizes = [3 * PIECE_LENGTH + 1000, 100, 2 * PIECE_LENGTH, 70_000];

  it.each([
    ['a v2-only torrent', 2 as const],
    ['a hybrid torrent', 'hybrid' as const],
  ])('downloads %s byte for byte', async (_what, version) => {
    const fixture = await makeFixture(sizes, { version });
    expect(fixture.metainfo.version).toBe(version);
    const seeder = await startSeeder(fixture);

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [seeder.address] });
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
    expect(torrent.progress().piecesDone).toBe(fixture.metainfo.pieceCount);
  });

  it('fetches the metadata of a hybrid torrent by both its hashes from a magnet link, then the files (checked with the v1 hashes)', async () => {
    const fixture = await makeFixture(sizes, { version: 'hybrid' });
    const seeder = await startSeeder(fixture);
    const magnet = formatMagnet({ infoHash: fixture.metainfo.infoHash, peers: [seeder.address] });
    expect(magnet).toContain(`xt=urn:btmh:1220${toHex(fixture.metainfo.infoHash.v2!)}`);

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, magnet, { directory: out });
    const [metainfo] = await nextEvent(torrent, 'metadata', 10_000);
    expect(metainfo.infoHash.v2).toEqual(fixture.metainfo.infoHash.v2);
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
  });
});
