import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, makeFixture, nextEvent, sameFiles, startSeeder, startSession, tempDir, until } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session: a peer that vanishes mid-download', { timeout: 20_000 }, () => {
  it('completes from the other seeder when one closes with blocks still requested of it', async () => {
    const fixture = await makeFixture([2 * 1024 * 1024]);
    // Both limited, so the download is still going when the slow one goes.
    const slow = await startSeeder(fixture, { uploadRateLimit: 64 * 1024 });
    const fast = await startSeeder(fixture, { uploadRateLimit: 768 * 1024 });

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [slow.address, fast.address] });
    // The slow seeder has sent a block: the leecher has more requested of it, and a piece half-received.
    await until(() => slow.torrent.progress().uploaded >= 16 * 1024, 10_000, 'a block from the slow seeder');
    expect(torrent.peerMap.get(slow.address)?.requests.size).toBeGreaterThan(0);
    const gone = nextEvent(torrent, 'peer:disconnect', 5000, (address) => address === slow.address);
    await slow.session.close();
    expect(torrent.isComplete).toBe(false);
    await gone;

    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
  });
});
