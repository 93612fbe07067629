import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, makeFixture, nextEvent, startSeeder, startSession, tempDir } from './swarm-helpers.js';

afterEach(cleanup);

describe('Session: peer exchange (BEP 11)', () => {
  it('connects to a peer it only heard of from another peer', { timeout: 15_000 }, async () => {
    const fixture = await makeFixture([2 * 1024 * 1024]);
    const pex = { pexIntervalMs: 500 };
    // A is slow enough that B and C are still downloading when PEX messages start (3 s after connecting).
    // A takes no part in PEX: otherwise it hears of C from B too and may dial C as C dials it
    // (simultaneous-dial.test.ts), and this test is about C acting on what it heard.
    const a = await startSeeder(fixture, { pex: false, uploadRateLimit: 256 * 1024 });

    const b = await startSession();
    const bTorrent = addTorrent(b, fixture.metainfo, { directory: await tempDir(), peers: [a.address], ...pex });
    await nextEvent(bTorrent, 'peer:connect', 5000);

    const c = await startSession();
    const cTorrent = addTorrent(c, fixture.metainfo, { directory: await tempDir(), peers: [`127.0.0.1:${b.port}`], ...pex });
    const [peer] = await nextEvent(cTorrent, 'peer:connect', 10_000, (p) => p.address === a.address);
    expect(peer.direction).toBe('outgoing');
    expect(cTorrent.book.get(a.address)?.sources).toContain('pex');
  });
});
