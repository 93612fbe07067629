import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, makeFixture, nextEvent, recordEvents, sameFiles, startCorruptSeeder, startSeeder, startSession, tempDir, within } from './swarm-helpers.js';

afterEach(cleanup);

// Bans are per host: the liar listens on 127.0.0.2 (all of 127/8 is loopback on Linux), the honest seeder on 127.0.0.1.
const LIAR_HOST = '127.0.0.2';

describe('Session: a peer that sends corrupt blocks', { timeout: 20_000 }, () => {
  it('completes from the honest seeder, reports the failed pieces and bans the liar', async () => {
    const fixture = await makeFixture([1024 * 1024]);
    const liar = await startCorruptSeeder(fixture, { host: LIAR_HOST });
    // The honest seeder is slowed so that the liar serves a good share of the pieces.
    const honest = await startSeeder(fixture, { uploadRateLimit: 512 * 1024 });

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [liar.address, honest.address] });
    const failed = recordEvents(torrent, 'piece:failed');
    const bans = recordEvents(torrent, 'peer:ban');
    await within(torrent.whenDone(), 15_000, 'download');

    expect(await sameFiles(fixture, out)).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(bans.map(([host]) => host))).toEqual(new Set([LIAR_HOST]));
    expect(torrent.peers().some((p) => p.address.startsWith(`${LIAR_HOST}:`))).toBe(false);
    // One ban, one event: pieces of the liar still being hashed when it is banned do not ban it again.
    expect(bans).toHaveLength(1);
  });

  it('bans the only peer it has when all it sends is corrupt, then completes from an honest peer added later', async () => {
    const fixture = await makeFixture([512 * 1024]);
    const liar = await startCorruptSeeder(fixture, { host: LIAR_HOST });
    const honest = await startSeeder(fixture);

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [liar.address] });
    const failed = recordEvents(torrent, 'piece:failed');
    const bans = recordEvents(torrent, 'peer:ban');
    const [host, reason] = await nextEvent(torrent, 'peer:ban', 10_000);
    expect(host).toBe(LIAR_HOST);
    expect(reason).toMatch(/piece/);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.every(([, peers]) => peers.every((p) => p.startsWith(`${LIAR_HOST}:`)))).toBe(true);
    expect(torrent.progress().piecesDone).toBe(0);
    // A banned host stays banned: it is not dialled again.
    expect(torrent.addPeer(liar.address)).toBe(false);

    expect(torrent.addPeer(honest.address)).toBe(true);
    await within(torrent.whenDone(), 10_000, 'download');
    expect(await sameFiles(fixture, out)).toBe(true);
    expect(bans).toHaveLength(1);
  });
});
