import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, makeFixture, nextEvent, partialSeedDir, PIECE_LENGTH, sameFiles, startSession, tempDir } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session: seeders holding different parts', { timeout: 20_000 }, () => {
  it('gathers the whole torrent from two seeders that each hold only some of its files', async () => {
    // Whole pieces per file: no piece straddles a file the seeder lacks.
    const fixture = await makeFixture([4, 3, 5, 2].map((pieces) => pieces * PIECE_LENGTH));
    const halves = [
      { files: [0, 2], pieces: 9 },
      { files: [1, 3], pieces: 5 },
    ];
    const seeders = await Promise.all(
      halves.map(async ({ files }) => {
        const session = await startSession();
        const torrent = addTorrent(session, fixture.metainfo, { directory: await partialSeedDir(fixture, files), resume: false });
        const [check] = await nextEvent(torrent, 'check:done', 10_000);
        return { session, torrent, check };
      }),
    );
    expect(seeders.map((s) => s.check.verified)).toEqual(halves.map((h) => h.pieces));

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: seeders.map((s) => `127.0.0.1:${s.session.port}`) });
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
    // Each seeder was the only source of its files' pieces (the other could only have them from the leecher).
    for (const [i, seeder] of seeders.entries()) expect(seeder.torrent.progress().uploaded).toBeGreaterThanOrEqual(halves[i]!.pieces * PIECE_LENGTH);
  });
});
