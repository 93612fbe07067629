import { describe, expect, it } from 'vitest';
import { answersHandshake, freePort, interop, startLibtorrent, torrentInfoHash } from '../../src/index.js';
import { NAME, useSwarmFixture } from './swarm-fixture.js';

describe.runIf(interop('libtorrent'))('startLibtorrent', () => {
  const fixture = useSwarmFixture();

  it('seeds to leechers that dial it by hand, from a .torrent and from a magnet', async () => {
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', highPerformanceSeed: true });
    const ready = await seed.ready;
    expect(ready).toMatchObject({ port: seed.port, infoHash: fixture().infoHash, name: NAME });
    await expect(seed.done).resolves.toMatchObject({ totalDone: 1_348_700 });

    const peers = [`127.0.0.1:${seed.port}`];
    const fromTorrent = fixture().freshDir('lt-torrent');
    const fromMagnet = fixture().freshDir('lt-magnet');
    const leechers = await Promise.all([
      startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fromTorrent, role: 'leech', peers, doneTimeoutMs: 20_000 }),
      startLibtorrent({ magnet: `magnet:?xt=urn:btih:${fixture().infoHash}&dn=${NAME}`, saveDir: fromMagnet, role: 'leech', peers, doneTimeoutMs: 20_000 }),
    ]);
    const done = await Promise.all(leechers.map((l) => l.done));
    expect(done.map((d) => d.totalDone)).toEqual([1_348_700, 1_348_700]);
    expect(leechers.map((l) => l.progress())).toEqual([1, 1]);
    expect(fixture().differences(fromTorrent)).toEqual([]);
    expect(fixture().differences(fromMagnet)).toEqual([]);
    await Promise.all([...leechers, seed].map((c) => c.stop()));
  }, 30_000);

  it('exits by itself after done with exitOnDone, and rejects ready when the process ends first', async () => {
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', skipCheck: true });
    await seed.ready;
    const saveDir = fixture().freshDir('lt-exit');
    const leech = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir, role: 'leech', peers: [`127.0.0.1:${seed.port}`], exitOnDone: true, doneTimeoutMs: 20_000 });
    await leech.done;
    await expect(leech.process.exited).resolves.toBe(0);
    expect(fixture().differences(saveDir)).toEqual([]);

    const broken = await startLibtorrent({ torrentPath: `${fixture().dir}/no-such.torrent`, saveDir, role: 'leech' });
    await expect(broken.ready).rejects.toThrow(/process ended first/);
    await seed.stop();
  }, 30_000);

  it('answers a handshake for its torrent once ready (answersHandshake), not for another or on a closed port', async () => {
    // torrentInfoHash reads the hash libtorrent computed.
    expect(torrentInfoHash(fixture().torrentPath)).toBe(fixture().infoHash);
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false });
    await seed.ready;
    await expect(answersHandshake(seed.port, fixture().infoHash)).resolves.toBe(true);
    await expect(answersHandshake(seed.port, 'ab'.repeat(20))).resolves.toBe(false);
    await expect(answersHandshake(await freePort(), fixture().infoHash)).resolves.toBe(false);
    expect(() => answersHandshake(seed.port, 'not hex')).toThrow(TypeError);
    await seed.stop();
  }, 30_000);
});
