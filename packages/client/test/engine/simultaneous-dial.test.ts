import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, makeFixture, nextEvent, partialSeedDir, PIECE_LENGTH, recordEvents, sameFiles, startSession } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session: two peers that dial each other at once', { timeout: 20_000 }, () => {
  it('keeps one of the two connections and trades pieces over it', async () => {
    const fixture = await makeFixture([8 * PIECE_LENGTH, 8 * PIECE_LENGTH]);
    // Each holds one file and wants the other's.
    const peers = await Promise.all(
      [[0], [1]].map(async (files) => {
        const session = await startSession();
        const directory = await partialSeedDir(fixture, files);
        const torrent = addTorrent(session, fixture.metainfo, { directory, resume: false });
        await nextEvent(torrent, 'state:change', 5000, (state) => state === 'downloading');
        return { session, torrent, directory, connects: recordEvents(torrent, 'peer:connect') };
      }),
    );
    const [x, y] = peers as [(typeof peers)[0], (typeof peers)[0]];
    // Both learn of the other in the same turn (as from PEX or a tracker) and dial at once.
    x.torrent.addPeer(`127.0.0.1:${y.session.port}`);
    y.torrent.addPeer(`127.0.0.1:${x.session.port}`);

    await Promise.all([downloaded(x.torrent, 5000), downloaded(y.torrent, 5000)]);
    expect(await sameFiles(fixture, x.directory)).toBe(true);
    expect(await sameFiles(fixture, y.directory)).toBe(true);
    // One connection each way at most, not a storm of connections closed as duplicates.
    expect(x.connects.length).toBeLessThanOrEqual(2);
    expect(y.connects.length).toBeLessThanOrEqual(2);
  });
});
