import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answersHandshake, interop, startLibtorrent, startTransmission, stopAll } from '../../src/index.js';
import { useSwarmFixture } from './swarm-fixture.js';

// transmission decides interest and unchoking every 10 s: each direction takes 10-15 s, so
// both run at once.
describe.runIf(interop('libtorrent') && interop('transmission'))('startTransmission', () => {
  const fixture = useSwarmFixture();

  it('leeches when a libtorrent seed dials it, and seeds to a libtorrent leecher that dials it', async () => {
    const leechDir = fixture().freshDir('transmission-leech');
    const [transmissionLeech, transmissionSeed] = await Promise.all([
      startTransmission({ torrentPath: fixture().torrentPath, saveDir: leechDir, role: 'leech', doneTimeoutMs: 40_000 }),
      startTransmission({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed' }),
    ]);
    await transmissionLeech.ready;
    const libtorrentSeed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', peers: [`127.0.0.1:${transmissionLeech.port}`] });

    await transmissionSeed.ready;
    const seedDir = fixture().freshDir('transmission-seed');
    const libtorrentLeech = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: seedDir, role: 'leech', peers: [`127.0.0.1:${transmissionSeed.port}`], doneTimeoutMs: 40_000 });

    await Promise.all([transmissionLeech.done, libtorrentLeech.done]);
    expect(transmissionLeech.progress()).toBe(1);
    expect(fixture().differences(leechDir)).toEqual([]);
    expect(fixture().differences(seedDir)).toEqual([]);
    await Promise.all([transmissionLeech, transmissionSeed, libtorrentSeed, libtorrentLeech].map((c) => c.stop()));
  }, 50_000);

  it('is ready once it answers a handshake, leaving it free for the next peer from 127.0.0.1; stopAll removes its config dir', async () => {
    const leech = await startTransmission({ torrentPath: fixture().torrentPath, saveDir: fixture().freshDir('transmission-probe'), role: 'leech' });
    await leech.ready;
    // It keeps one connection per address: had ready's probe left a trace, this one would be refused.
    await expect(answersHandshake(leech.port, fixture().infoHash)).resolves.toBe(true);
    const args = leech.process.child.spawnargs;
    const configDir = args[args.indexOf('-g') + 1]!;
    expect(existsSync(configDir)).toBe(true);
    await stopAll();
    expect(existsSync(configDir)).toBe(false);
  }, 30_000);
});
