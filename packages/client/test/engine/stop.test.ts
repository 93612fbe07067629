import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '@gtorr/metainfo';
import { ResumeStore } from '@gtorr/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientErrorCode } from '../../src/index.js';
import { addTorrent, cleanup, makeFixture, nextEvent, startSeeder, startSession, tempDir, within } from './swarm-helpers.js';

afterEach(cleanup);

describe('Torrent.stop mid-download (Ctrl-C)', { timeout: 20_000 }, () => {
  it('resolves, rejects whenDone with CLIENT_STOPPED and leaves resume data that the next start trusts', async () => {
    const fixture = await makeFixture([2 * 1024 * 1024]);
    // Slow, so the download is far from done when it is stopped.
    const seeder = await startSeeder(fixture, { uploadRateLimit: 256 * 1024 });
    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [seeder.address] });
    const done = torrent.whenDone();
    const rejected = done.then(
      () => undefined,
      (error: unknown) => error,
    );
    await nextEvent(torrent, 'piece:verified', 10_000);

    await within(torrent.stop(), 5000, 'stop');
    expect(torrent.state).toBe('stopped');
    expect(await rejected).toMatchObject({ code: ClientErrorCode.STOPPED });
    await expect(torrent.whenDone()).rejects.toMatchObject({ code: ClientErrorCode.STOPPED });
    expect(torrent.isComplete).toBe(false);

    const path = join(out, '.gtorr', `${toHex(fixture.metainfo.infoHash.v1!)}.resume`);
    expect(existsSync(path)).toBe(true);
    const resume = await new ResumeStore(path).load();
    expect(resume?.verified.count()).toBe(torrent.progress().piecesDone);
    expect(resume?.verified.count()).toBeGreaterThan(0);

    // Started again, the torrent trusts it rather than finding nothing.
    const again = addTorrent(await startSession(), fixture.metainfo, { directory: out });
    const [check] = await nextEvent(again, 'check:done', 5000);
    expect(check.verified).toBe(resume?.verified.count());
  });
});
