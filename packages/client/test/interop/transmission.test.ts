// gtorr against transmission-cli 3.00 on loopback: issue 7 (gtorr downloads from a
// transmission seed) and issue 8 (transmission downloads from a gtorr seed).
//
// transmission drops 127.x peers it learns from trackers and PEX, so on loopback every
// connection here is one gtorr dials: to transmission the seed (which accepts incoming
// peers) and to transmission the leecher (which only ever gets data from a seed that dials
// it). transmission decides interest and unchoking in a pulse every 10 s: each test takes
// 10-20 s, most of it waiting for that pulse.
import { interop, startTransmission } from '@gtorr/interop';
import { describe, expect, it } from 'vitest';
import { addTorrent, startSession, within } from '../engine/swarm-helpers.js';
import { clientDone, gtorrDownload, Journal, useInteropFixture } from './interop-helpers.js';

describe.runIf(interop('transmission'))('interop: gtorr and transmission', { timeout: 45_000 }, () => {
  const fixture = useInteropFixture();

  it('downloads from a transmission seed it dials, byte for byte', async () => {
    // transmission checks the data before it seeds ("Seeding"), then accepts peers.
    const seed = await startTransmission({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', readyTimeoutMs: 20_000 });
    await seed.ready;
    const session = await startSession();
    const out = fixture().freshDir('gtorr-from-transmission');
    const torrent = addTorrent(session, fixture().metainfo, { directory: out, announce: false, peers: [`127.0.0.1:${seed.port}`] });
    const journal = new Journal('leecher', torrent);
    await gtorrDownload(torrent, journal, 30_000, [['transmission seed', seed]]);
    expect(fixture().differences(out)).toEqual([]);
    expect(journal.met('Transmission')).toBe(true);
    await torrent.stop();
    await seed.stop();
  });

  it('seeds to a transmission leecher it dials, byte for byte (transmission never creates the 0-byte file)', async () => {
    const out = fixture().freshDir('transmission-from-gtorr');
    const leech = await startTransmission({ torrentPath: fixture().torrentPath, saveDir: out, role: 'leech', doneTimeoutMs: 35_000 });
    await leech.ready;
    const session = await startSession();
    // A seed dials the peers it is given, too: the only way transmission meets a loopback seed.
    const torrent = addTorrent(session, fixture().metainfo, { directory: fixture().seedDir, resume: false, announce: false, peers: [`127.0.0.1:${leech.port}`] });
    const journal = new Journal('seed', torrent);
    await within(torrent.whenDone(), 10_000, 'gtorr seed check');
    await clientDone('transmission leecher', leech, 35_000, [[journal, torrent]]);
    expect(fixture().differences(out, { allowMissingEmpty: true })).toEqual([]);
    expect(torrent.progress().uploaded).toBeGreaterThanOrEqual(fixture().metainfo.length);
    await leech.stop();
    await torrent.stop();
  });
});
