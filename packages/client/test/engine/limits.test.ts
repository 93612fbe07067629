import { once } from 'node:events';
import type { WireMessage } from '@gtorr/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, connectRaw, downloaded, makeFixture, PIECE_LENGTH, sameFiles, startSeeder, startSession, tempDir, within } from './swarm-helpers.js';

afterEach(cleanup);

const KIB = 1024;

describe('Session: rate limits', { timeout: 20_000 }, () => {
  // A bucket starts full (one second's worth), so the lower bound is (size - rate) / rate; 20% slack for timers.
  const size = 768 * KIB;
  const rate = 256 * KIB;
  const atLeastMs = ((size - rate) / rate) * 1000 * 0.8;

  it('downloads no faster than its download rate limit', async () => {
    const fixture = await makeFixture([size]);
    const seeder = await startSeeder(fixture);
    const leecher = await startSession();
    const out = await tempDir();
    const started = performance.now();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [seeder.address], downloadRateLimit: rate });
    await downloaded(torrent, 15_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(atLeastMs);
    expect(await sameFiles(fixture, out)).toBe(true);
  });

  it('uploads no faster than its upload rate limit', async () => {
    const fixture = await makeFixture([size]);
    const seeder = await startSeeder(fixture, { uploadRateLimit: rate });
    const leecher = await startSession();
    const out = await tempDir();
    const started = performance.now();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [seeder.address] });
    await downloaded(torrent, 15_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(atLeastMs);
    expect(await sameFiles(fixture, out)).toBe(true);
  });
});

describe('Session: a peer making bad requests', { timeout: 20_000 }, () => {
  it('gets REJECT for blocks out of range and too long, and the seeder keeps serving', async () => {
    const fixture = await makeFixture([8 * PIECE_LENGTH]);
    const { pieceCount } = fixture.metainfo;
    const seeder = await startSeeder(fixture);
    const hostile = await connectRaw(fixture, seeder.address);
    expect(hostile.features.fast).toBe(true);
    const received: WireMessage[] = [];
    hostile.on('message', (message) => received.push(message));
    const unchoked = once(hostile, 'unchoke');
    hostile.interested();
    await within(unchoked, 5000, 'unchoke');

    const bad = [
      { index: pieceCount + 3, begin: 0, length: 16 * KIB }, // no such piece
      { index: 0, begin: PIECE_LENGTH - 8 * KIB, length: 16 * KIB }, // past the end of the piece
      { index: 1, begin: 0, length: 32 * KIB }, // longer than 16 KiB
    ];
    for (const { index, begin, length } of bad) hostile.request(index, begin, length);
    const served = once(hostile, 'piece');
    hostile.request(2, 16 * KIB, 16 * KIB);
    const [piece] = (await within(served, 5000, 'a good block')) as [Extract<WireMessage, { type: 'piece' }>];
    expect([piece.index, piece.begin]).toEqual([2, 16 * KIB]);
    expect(Buffer.from(piece.block).equals(Buffer.from(fixture.files[0]!.data.subarray(2 * PIECE_LENGTH + 16 * KIB, 3 * PIECE_LENGTH)))).toBe(true);
    const rejects = received.filter((m) => m.type === 'reject').map(({ index, begin, length }) => ({ index, begin, length }));
    expect(rejects).toEqual(bad);
    expect(hostile.destroyed).toBe(false);

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [seeder.address] });
    await downloaded(torrent, 10_000);
    expect(await sameFiles(fixture, out)).toBe(true);
  });
});
