// gtorr against libtorrent 2.0 (Debian's python3-libtorrent), on loopback: issue 7 (gtorr
// downloads: through opentracker, from peers given by hand, from a magnet link) and issue 8
// (gtorr seeds, alone and in a mixed swarm where the two leechers trade).
import { interop, startLibtorrent, startOpentracker } from '@gtorr/interop';
import { describe, expect, it } from 'vitest';
import { addTorrent, startSession, within } from '../engine/swarm-helpers.js';
import { clientDone, explained, gtorrDownload, Journal, lastLibtorrentField, NAME, stopLater, trackerHasSeeds, useInteropFixture } from './interop-helpers.js';

describe.runIf(interop('libtorrent'))('interop: gtorr and libtorrent', { timeout: 30_000 }, () => {
  const fixture = useInteropFixture();

  it.runIf(interop('opentracker')).each(['httpUrl', 'udpUrl'] as const)('downloads from a libtorrent seed it finds through opentracker (%s), byte for byte', async (kind) => {
    const tracker = stopLater(await startOpentracker([fixture().infoHash]));
    const seed = stopLater(await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', trackers: [tracker.httpUrl] }));
    await seed.ready;
    // The seed announces once it is seeding: wait until the tracker can hand it out.
    await explained(trackerHasSeeds(tracker.httpUrl, fixture().infoHash, 1, 10_000), { clients: [['libtorrent seed', seed]] });

    const session = await startSession();
    const out = fixture().freshDir('gtorr-from-lt-tracker');
    const torrent = addTorrent(session, fixture().metainfo, { directory: out, trackers: [[tracker[kind]]] });
    const journal = new Journal('leecher', torrent);
    const announces: number[] = [];
    torrent.on('tracker:announce', (o) => {
      if (o.event === 'started' && o.error === undefined) announces.push(o.peers ?? 0);
    });
    await gtorrDownload(torrent, journal, 20_000, [['libtorrent seed', seed]]);
    expect(fixture().differences(out)).toEqual([]);
    // It was given no peer: the tracker's answer named the seed.
    expect(announces[0]).toBeGreaterThanOrEqual(1);
    expect(journal.met('libtorrent')).toBe(true);
    await torrent.stop();
    await Promise.all([seed.stop(), tracker.stop()]);
  });

  it('downloads from a libtorrent seed given by hand alone (no tracker), byte for byte', async () => {
    const seed = stopLater(await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false }));
    await seed.ready;
    const session = await startSession();
    const out = fixture().freshDir('gtorr-from-lt-hand');
    const torrent = addTorrent(session, fixture().metainfo, { directory: out, announce: false, peers: [`127.0.0.1:${seed.port}`] });
    const journal = new Journal('leecher', torrent);
    await gtorrDownload(torrent, journal, 20_000, [['libtorrent seed', seed]]);
    expect(fixture().differences(out)).toEqual([]);
    expect(torrent.progress()).toMatchObject({ percent: 100, state: 'seeding' });
    await torrent.stop();
    await seed.stop();
  });

  it('downloads a magnet link from the libtorrent seed its x.pe names: metadata, then the files, byte for byte', async () => {
    const seed = stopLater(await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false }));
    await seed.ready;
    const session = await startSession();
    const out = fixture().freshDir('gtorr-magnet');
    const magnet = `magnet:?xt=urn:btih:${fixture().infoHash}&dn=${NAME}&x.pe=127.0.0.1:${seed.port}`;
    const torrent = addTorrent(session, magnet, { directory: out, announce: false });
    const journal = new Journal('magnet leecher', torrent);
    expect(torrent.metainfo).toBeUndefined();
    await gtorrDownload(torrent, journal, 20_000, [['libtorrent seed', seed]]);
    // The info dictionary fetched from libtorrent (BEP 9) is the .torrent's, byte for byte.
    expect(Buffer.from(torrent.metainfo!.infoBytes).equals(Buffer.from(fixture().metainfo.infoBytes))).toBe(true);
    expect(fixture().differences(out)).toEqual([]);
    await torrent.stop();
    await seed.stop();
  });

  it('seeds to libtorrent leechers that dial it, one from the .torrent and one from a magnet link (metadata served by gtorr), byte for byte', async () => {
    const session = await startSession();
    const torrent = addTorrent(session, fixture().metainfo, { directory: fixture().seedDir, resume: false, announce: false });
    const journal = new Journal('seed', torrent);
    await within(torrent.whenDone(), 10_000, 'gtorr seed check');
    const peers = [`127.0.0.1:${session.port}`];
    const fromTorrent = fixture().freshDir('lt-from-gtorr');
    const fromMagnet = fixture().freshDir('lt-magnet-from-gtorr');
    const leechers = (await Promise.all([
      startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fromTorrent, role: 'leech', useTrackers: false, peers, doneTimeoutMs: 25_000 }),
      startLibtorrent({ magnet: `magnet:?xt=urn:btih:${fixture().infoHash}&dn=${NAME}`, saveDir: fromMagnet, role: 'leech', useTrackers: false, peers, doneTimeoutMs: 25_000 }),
    ])).map(stopLater);
    await Promise.all(leechers.map((leech, i) => clientDone(`libtorrent leecher (${i === 0 ? '.torrent' : 'magnet'})`, leech, 25_000, [[journal, torrent]])));
    expect(fixture().differences(fromTorrent)).toEqual([]);
    expect(fixture().differences(fromMagnet)).toEqual([]);
    expect(torrent.progress().uploaded).toBeGreaterThanOrEqual(fixture().metainfo.length);
    await Promise.all(leechers.map((l) => l.stop()));
    await torrent.stop();
  });

  it('in a mixed swarm, a gtorr leecher and a libtorrent leecher of a rate-limited gtorr seed trade pieces with each other', async () => {
    // The seed gives 1 MiB/s in all: each leecher gets part of the pieces from it and has
    // every reason to take the rest from the other.
    const seedSession = await startSession();
    const seed = addTorrent(seedSession, fixture().metainfo, { directory: fixture().seedDir, resume: false, announce: false, uploadRateLimit: 1024 * 1024 });
    const seedJournal = new Journal('seed', seed);
    await within(seed.whenDone(), 10_000, 'gtorr seed check');

    const leechSession = await startSession();
    const ltOut = fixture().freshDir('mixed-lt');
    const ltLeech = stopLater(await startLibtorrent({
      torrentPath: fixture().torrentPath,
      saveDir: ltOut,
      role: 'leech',
      useTrackers: false,
      peers: [`127.0.0.1:${seedSession.port}`, `127.0.0.1:${leechSession.port}`],
      doneTimeoutMs: 25_000,
    }));
    await ltLeech.ready;
    const out = fixture().freshDir('mixed-gtorr');
    const leech = addTorrent(leechSession, fixture().metainfo, { directory: out, announce: false, peers: [`127.0.0.1:${seedSession.port}`, `127.0.0.1:${ltLeech.port}`] });
    const journal = new Journal('leecher', leech);
    const context = { torrents: [[journal, leech], [seedJournal, seed]] as [Journal, typeof leech][], clients: [['libtorrent leecher', ltLeech]] as [string, typeof ltLeech][] };
    await explained(Promise.all([within(leech.whenDone(), 25_000, 'gtorr leecher'), within(ltLeech.done, 25_000, 'libtorrent leecher')]), context);

    expect(fixture().differences(out)).toEqual([]);
    expect(fixture().differences(ltOut)).toEqual([]);
    // They met...
    expect(journal.met('libtorrent')).toBe(true);
    // ...and each gave the other pieces: the seed was not the only source of either.
    const gtorrUploaded = leech.progress().uploaded;
    const ltUploaded = lastLibtorrentField(ltLeech, 'uploaded') ?? 0;
    const seedUploaded = seed.progress().uploaded;
    expect({ gtorrUploaded: gtorrUploaded > 0, ltUploaded: ltUploaded > 0 }, `gtorr leecher uploaded ${gtorrUploaded}, libtorrent leecher ${ltUploaded}, seed ${seedUploaded}`).toEqual({
      gtorrUploaded: true,
      ltUploaded: true,
    });
    expect(seedUploaded).toBeLessThan(2 * fixture().metainfo.length);
    await ltLeech.stop();
  });
});
