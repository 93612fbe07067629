import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, makeFixture, sameFiles, startSession, tempDir, within } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session: one seeder, one leecher on loopback', () => {
  it('downloads a multi-file torrent given the seeder by hand, byte for byte', async () => {
    const fixture = await makeFixture([300_000, 1, 70_000, 0, 150_000]);
    const seeder = await startSession();
    const seed = addTorrent(seeder, fixture.metainfo, { directory: fixture.seedDir });
    await within(seed.whenDone(), 10_000, 'seed check');
    expect(seed.state).toBe('seeding');

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [`127.0.0.1:${seeder.port}`] });
    await within(torrent.whenDone(), 20_000, 'download');
    expect(await sameFiles(fixture, out)).toBe(true);
    const progress = torrent.progress();
    expect(progress.percent).toBe(100);
    expect(progress.state).toBe('seeding');
    expect(seed.progress().uploaded).toBeGreaterThanOrEqual(fixture.metainfo.length - 1);
  });
});
