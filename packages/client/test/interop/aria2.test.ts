// gtorr against aria2c 1.36 on loopback: issue 7 (gtorr downloads from an aria2 seed it
// dials) and issue 8 (aria2 downloads from a gtorr seed it finds through a tracker: aria2
// takes no peer addresses by hand for a .torrent).
//
// aria2 as a leecher sends a BITFIELD in the middle of the connection instead of HAVEs when
// 20 or more are pending; BEP 3 allows BITFIELD only first, and the engine takes a later one
// as a bulk HAVE. The second test counts those it saw.
import { interop, startAria2 } from '@gtorr/interop';
import type { WireMessage } from '@gtorr/wire';
import { describe, expect, it } from 'vitest';
import { addTorrent, startSession, startTracker, until, within } from '../engine/swarm-helpers.js';
import { clientDone, explained, gtorrDownload, Journal, useInteropFixture } from './interop-helpers.js';

describe.runIf(interop('aria2'))('interop: gtorr and aria2', { timeout: 30_000 }, () => {
  const fixture = useInteropFixture();

  it('downloads from an aria2 seed it dials, byte for byte', async () => {
    const seed = await startAria2({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false, readyTimeoutMs: 20_000 });
    await seed.ready;
    const session = await startSession();
    const out = fixture().freshDir('gtorr-from-aria2');
    const torrent = addTorrent(session, fixture().metainfo, { directory: out, announce: false, peers: [`127.0.0.1:${seed.port}`] });
    const journal = new Journal('leecher', torrent);
    await gtorrDownload(torrent, journal, 20_000, [['aria2 seed', seed]]);
    expect(fixture().differences(out)).toEqual([]);
    expect(journal.met('aria2')).toBe(true);
    await torrent.stop();
    await seed.stop();
  });

  it('seeds to an aria2 leecher that finds it through our HTTP tracker, taking its mid-connection BITFIELDs, byte for byte', async () => {
    const { tracker, url } = await startTracker({ interval: 60, minInterval: 0 });
    const session = await startSession();
    const torrent = addTorrent(session, fixture().metainfo, { directory: fixture().seedDir, resume: false, trackers: [[url]] });
    const journal = new Journal('seed', torrent);
    // What aria2 says about its pieces, message by message (peerMap is the engine's own, internal).
    const said: WireMessage['type'][] = [];
    torrent.on('peer:connect', (p) => {
      const peer = torrent.peerMap.get(p.address);
      peer?.connection.on('message', (m: WireMessage) => {
        if (m.type === 'bitfield' || m.type === 'have' || m.type === 'have-all' || m.type === 'have-none') said.push(m.type);
      });
    });
    await within(torrent.whenDone(), 10_000, 'gtorr seed check');
    const infoHash = fixture().metainfo.infoHash.v1!;
    await explained(
      until(() => tracker.swarm(infoHash).complete >= 1, 10_000, 'the tracker to count the gtorr seed'),
      { torrents: [[journal, torrent]] },
    );

    const out = fixture().freshDir('aria2-from-gtorr');
    const leech = await startAria2({ torrentPath: fixture().torrentPath, saveDir: out, role: 'leech', useTrackers: false, trackers: [url], doneTimeoutMs: 25_000 });
    await clientDone('aria2 leecher', leech, 25_000, [[journal, torrent]]);
    await expect(leech.process.exited).resolves.toBe(0);
    expect(fixture().differences(out)).toEqual([]);
    expect(torrent.progress().uploaded).toBeGreaterThanOrEqual(fixture().metainfo.length);
    // No peer was dropped for a protocol error on the way.
    expect(String(journal)).not.toMatch(/peer:disconnect .*WIRE_(?!CLOSED)|peer:ban|warning/);
    // aria2 sent no first BITFIELD (it had nothing), then HAVEs, batched in later BITFIELDs.
    expect(said.length).toBeGreaterThan(0);
    await torrent.stop();
  });
});
