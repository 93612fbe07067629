import { describe, expect, it } from 'vitest';
import { interop, startAria2, startLibtorrent, startOpentracker } from '../../src/index.js';
import { useSwarmFixture } from './swarm-fixture.js';

describe.runIf(interop('libtorrent') && interop('aria2') && interop('opentracker'))('startAria2', () => {
  const fixture = useSwarmFixture();

  it('leeches from a libtorrent seed it finds through opentracker, then exits 0', async () => {
    const tracker = await startOpentracker([fixture().infoHash]);
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', trackers: [tracker.httpUrl] });
    await seed.ready;
    const saveDir = fixture().freshDir('aria2-leech');
    const leech = await startAria2({ torrentPath: fixture().torrentPath, saveDir, role: 'leech', useTrackers: false, trackers: [tracker.httpUrl], doneTimeoutMs: 20_000 });
    await leech.ready;
    await leech.done;
    expect(leech.progress()).toBe(1);
    await expect(leech.process.exited).resolves.toBe(0);
    expect(fixture().differences(saveDir)).toEqual([]);
    await Promise.all([seed.stop(), tracker.stop()]);
  }, 30_000);

  it('seeds checked data to a libtorrent leecher that dials it', async () => {
    const seed = await startAria2({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false });
    await seed.ready;
    const saveDir = fixture().freshDir('aria2-seed');
    const leech = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir, role: 'leech', peers: [`127.0.0.1:${seed.port}`], doneTimeoutMs: 20_000 });
    await leech.done;
    expect(fixture().differences(saveDir)).toEqual([]);
    await Promise.all([leech.stop(), seed.stop()]);
  }, 30_000);
});
