import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, freePort, makeFixture, sameFiles, startSeeder, startSession, tempDir, until } from './swarm-helpers.js';

afterEach(cleanup);

describe('Torrent.addPeer', { timeout: 30_000 }, () => {
  it('dials a known peer again at once, backoff or not, when it is added by hand again', async () => {
    const fixture = await makeFixture([512 * 1024]);
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [address] });
    // Nothing listens there yet: the dial is refused and the address waits out its backoff (15 s at least x 0.75).
    await until(() => (torrent.book.get(address)?.failures ?? 0) > 0, 5000, 'the refused dial');
    expect(torrent.book.get(address)?.retryAt).toBeGreaterThan(performance.now() + 10_000);

    await startSeeder(fixture, {}, { port });
    expect(torrent.addPeer(address)).toBe(true);

    // Well inside the backoff: only a dial made now can get the data here in time.
    await downloaded(torrent, 10_000);
    expect(torrent.progress().done).toBe(true);
    expect(torrent.state).toBe('seeding');
    expect(await sameFiles(fixture, out)).toBe(true);
  });
});
