// gtorr against libtorrent 2.0 (Debian's python3-libtorrent), on loopback: issue 7 (gtorr
// downloads: through opentracker, from peers given by hand, from a magnet link) and issue 8
// (gtorr seeds, alone and in a mixed swarm where the two leechers trade).
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { createTorrent, interop, startLibtorrent, startOpentracker } from '@gtorr/interop';
import { createTorrent as createGtorrTorrent, parseTorrent, toHex, type Metainfo } from '@gtorr/metainfo';
import { describe, expect, it } from 'vitest';
import { addTorrent, startSession, within } from '../engine/swarm-helpers.js';
import { clientDone, explained, gtorrDownload, Journal, lastLibtorrentField, NAME, PIECE_LENGTH, trackerHasSeeds, useInteropFixture } from './interop-helpers.js';

describe.runIf(interop('libtorrent'))('interop: gtorr and libtorrent', { timeout: 30_000 }, () => {
  const fixture = useInteropFixture();

  it.runIf(interop('opentracker')).each(['httpUrl', 'udpUrl'] as const)('downloads from a libtorrent seed it finds through opentracker (%s), byte for byte', async (kind) => {
    const tracker = await startOpentracker([fixture().infoHash]);
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', trackers: [tracker.httpUrl] });
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
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false });
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
    const seed = await startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false });
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
    const leechers = await Promise.all([
      startLibtorrent({ torrentPath: fixture().torrentPath, saveDir: fromTorrent, role: 'leech', useTrackers: false, peers, doneTimeoutMs: 25_000 }),
      startLibtorrent({ magnet: `magnet:?xt=urn:btih:${fixture().infoHash}&dn=${NAME}`, saveDir: fromMagnet, role: 'leech', useTrackers: false, peers, doneTimeoutMs: 25_000 }),
    ]);
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
    const ltLeech = await startLibtorrent({
      torrentPath: fixture().torrentPath,
      saveDir: ltOut,
      role: 'leech',
      useTrackers: false,
      peers: [`127.0.0.1:${seedSession.port}`, `127.0.0.1:${leechSession.port}`],
      doneTimeoutMs: 25_000,
    });
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

// BEP 52: a v2-only torrent of the same files, made by libtorrent, reached by its v2 magnet
// link alone (the piece layers come by hash requests: the info dictionary leaves them out).
describe.runIf(interop('libtorrent'))('interop: v2-only magnet links with libtorrent (BEP 52 hash requests)', { timeout: 30_000 }, () => {
  const fixture = useInteropFixture();
  let made: Promise<{ torrentPath: string; metainfo: Metainfo; magnet: string }> | undefined;
  const v2Torrent = (): Promise<{ torrentPath: string; metainfo: Metainfo; magnet: string }> =>
    (made ??= (async () => {
      const torrentPath = join(fixture().dir, `${NAME}-v2.torrent`);
      const created = await createTorrent({ source: join(fixture().seedDir, NAME), output: torrentPath, pieceLength: PIECE_LENGTH, version: 2, timeoutMs: 30_000 });
      const metainfo = parseTorrent(readFileSync(torrentPath));
      expect(metainfo.version).toBe(2);
      expect(toHex(metainfo.infoHash.v2!)).toBe(created.infoHashV2);
      return { torrentPath, metainfo, magnet: `magnet:?xt=urn:btmh:1220${created.infoHashV2}&dn=${NAME}` };
    })());

  it('downloads a v2-only torrent from a libtorrent seed given only its v2 magnet link and the address: metadata, piece layers, files, byte for byte', async () => {
    const v2 = await v2Torrent();
    const seed = await startLibtorrent({ torrentPath: v2.torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false });
    await seed.ready;
    const session = await startSession();
    const out = fixture().freshDir('gtorr-v2-magnet');
    const torrent = addTorrent(session, v2.magnet, { directory: out, announce: false, peers: [`127.0.0.1:${seed.port}`] });
    const journal = new Journal('v2 magnet leecher', torrent);
    await gtorrDownload(torrent, journal, 20_000, [['libtorrent seed', seed]]);
    // The layers fetched from libtorrent and proved against each pieces root are the .torrent's.
    for (const [root, layer] of v2.metainfo.pieceLayers!) expect(torrent.metainfo!.pieceLayers!.get(root), root).toEqual(layer);
    expect(fixture().differences(out)).toEqual([]);
    expect(journal.met('libtorrent')).toBe(true);
    await torrent.stop();
    await seed.stop();
  });

  it('seeds a v2-only torrent to a libtorrent leecher given only its v2 magnet link: metadata and piece layers served by gtorr, byte for byte', async () => {
    const v2 = await v2Torrent();
    const session = await startSession();
    const torrent = addTorrent(session, v2.metainfo, { directory: fixture().seedDir, resume: false, announce: false });
    const journal = new Journal('v2 seed', torrent);
    await within(torrent.whenDone(), 10_000, 'gtorr seed check');
    const out = fixture().freshDir('lt-v2-magnet-from-gtorr');
    const leech = await startLibtorrent({ magnet: v2.magnet, saveDir: out, role: 'leech', useTrackers: false, peers: [`127.0.0.1:${session.port}`], doneTimeoutMs: 25_000 });
    await clientDone('libtorrent leecher (v2 magnet)', leech, 25_000, [[journal, torrent]]);
    expect(fixture().differences(out)).toEqual([]);
    await leech.stop();
    await torrent.stop();
  });

  it('downloads a hybrid torrent from a libtorrent seed, which upgrades our v1 connection (with the v2 bit) to v2', async () => {
    const created = await createGtorrTorrent(join(fixture().seedDir, NAME), { version: 'hybrid', pieceLength: PIECE_LENGTH });
    const torrentPath = join(fixture().dir, `${NAME}-hybrid.torrent`);
    writeFileSync(torrentPath, created.torrent);
    const metainfo = parseTorrent(created.torrent);
    const seed = await startLibtorrent({ torrentPath, saveDir: fixture().seedDir, role: 'seed', useTrackers: false });
    await seed.ready;
    const session = await startSession();
    const out = fixture().freshDir('gtorr-hybrid');
    const torrent = addTorrent(session, metainfo, { directory: out, announce: false, peers: [`127.0.0.1:${seed.port}`] });
    const journal = new Journal('hybrid leecher', torrent);
    const named: string[] = [];
    torrent.on('peer:connect', (p) => named.push(toHex(torrent.peerMap.get(p.address)!.connection.infoHash!)));
    await gtorrDownload(torrent, journal, 20_000, [['libtorrent seed', seed]]);
    expect(fixture().differences(out)).toEqual([]);
    expect(named).toContain(toHex(metainfo.infoHash.v2!.subarray(0, 20)));
    expect(journal.met('libtorrent')).toBe(true);
    await torrent.stop();
    await seed.stop();
  });
});
