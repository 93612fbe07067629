import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, makeFixture, nextEvent, sameFiles, startSession, startTracker, tempDir } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session with our HTTP tracker', { timeout: 20_000 }, () => {
  it('finds the seeder through the tracker alone, downloads byte for byte, then announces completed and stopped', async () => {
    // min interval 0: the `completed` announce may go out at once rather than after the tracker's min interval.
    const { tracker, url } = await startTracker({ interval: 60, minInterval: 0 });
    const fixture = await makeFixture([200_000, 90_000, 1], { announce: [url] });
    const infoHash = fixture.metainfo.infoHash.v1!;

    const seeder = await startSession();
    const seed = addTorrent(seeder, fixture.metainfo, { directory: fixture.seedDir, resume: false });
    const [seedStarted] = await nextEvent(seed, 'tracker:announce', 10_000, (o) => o.event === 'started');
    expect(seedStarted.error).toBeUndefined();
    expect(tracker.swarm(infoHash).complete).toBe(1);

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out });
    const started = nextEvent(torrent, 'tracker:announce', 10_000, (o) => o.event === 'started');
    const completed = nextEvent(torrent, 'tracker:announce', 15_000, (o) => o.event === 'completed');
    const [first] = await started;
    expect(first.error).toBeUndefined();
    expect(first.peers).toBe(1);

    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
    const [done] = await completed;
    expect(done.error).toBeUndefined();
    expect(tracker.swarm(infoHash)).toMatchObject({ complete: 2, incomplete: 0, downloaded: 1 });

    await torrent.stop();
    const peers = tracker.swarm(infoHash).peers.map((p) => p.port);
    expect(peers).toEqual([seeder.port]);
  });
});
