import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { formatMagnet, toHex } from '@gtorr/metainfo';
import { decodeMetadataMessage, encodeMetadataMessage, METADATA_PIECE_LENGTH, PeerConnection, UT_METADATA } from '@gtorr/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { pieceLayerRequests, uncleCount, verifyHashes } from '../../src/metadata/hash-proof.js';
import { addTorrent, cleanup, connectRaw, downloaded, makeFixture, nextEvent, PIECE_LENGTH, recordEvents, sameFiles, startSeeder, startSession, tempDir, until, within, type Fixture } from './swarm-helpers.js';
import type { Torrent } from '../../src/index.js';

const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0)) step();
  await cleanup();
});

// Several files longer than a piece (6, 9 = 2^3 + 1, 2 and 3 pieces: piece counts that are
// not powers of two, one a piece past one), and one smaller than a piece (no layer).
const SIZES = [5 * PIECE_LENGTH + 1000, 8 * PIECE_LENGTH + 500, 100, 2 * PIECE_LENGTH, 70_000];
// Bans are per host: the fake peers listen on 127.0.0.2 (all of 127/8 is loopback on Linux), the honest seeder on 127.0.0.1.
const FAKE_HOST = '127.0.0.2';

function v2Magnet(fixture: Fixture, peers: readonly string[]): string {
  return formatMagnet({ infoHash: { v1: null, v2: fixture.metainfo.infoHash.v2 }, peers: [...peers] });
}

/**
 * A bare peer of a v2-only torrent, on loopback: it serves the metadata (BEP 9), and answers
 * every hash request with random hashes (`lie`) or a HASH REJECT (`reject`). Returns its address.
 */
async function startFakePeer(fixture: Fixture, mode: 'lie' | 'reject'): Promise<{ address: string; hashRequests: () => number }> {
  const info = fixture.metainfo.infoBytes;
  let hashRequests = 0;
  const serve = (socket: Socket): void => {
    const connection = PeerConnection.accept(socket, { infoHashes: [fixture.metainfo.infoHash.v2!], extensions: { [UT_METADATA]: 1 }, extendedHandshake: { metadataSize: info.length } });
    cleanups.push(() => connection.destroy());
    connection.on('extended', (message, name) => {
      const request = name === UT_METADATA ? decodeMetadataMessage(message.payload) : undefined;
      if (request?.type !== 'request') return;
      const begin = request.piece * METADATA_PIECE_LENGTH;
      connection.sendExtended(UT_METADATA, encodeMetadataMessage({ type: 'data', piece: request.piece, totalSize: info.length, data: info.subarray(begin, begin + METADATA_PIECE_LENGTH) }));
    });
    connection.on('hash-request', (request) => {
      hashRequests++;
      const { piecesRoot, baseLayer, index, length, proofLayers } = request;
      const range = { piecesRoot: piecesRoot.slice(), baseLayer, index, length, proofLayers };
      if (mode === 'reject') connection.send({ type: 'hash-reject', ...range });
      else connection.send({ type: 'hashes', ...range, hashes: new Uint8Array(randomBytes((length + uncleCount(range)) * 32)) });
    });
    connection.on('close', () => undefined);
  };
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, FAKE_HOST, resolve));
  cleanups.push(() => server.close());
  return { address: `${FAKE_HOST}:${(server.address() as { port: number }).port}`, hashRequests: () => hashRequests };
}

/** A v2-only fixture, a fake peer of it, an honest seeder, and a leecher given the magnet link and the fake peer alone. */
async function leechFromFake(mode: 'lie' | 'reject'): Promise<{ fixture: Fixture; fake: Awaited<ReturnType<typeof startFakePeer>>; honest: string; torrent: Torrent; out: string }> {
  const fixture = await makeFixture(SIZES, { version: 2 });
  const fake = await startFakePeer(fixture, mode);
  const honest = await startSeeder(fixture);
  const leecher = await startSession();
  const out = await tempDir();
  const torrent = addTorrent(leecher, v2Magnet(fixture, [fake.address]), { directory: out });
  return { fixture, fake, honest: honest.address, torrent, out };
}

describe('Session: a v2-only magnet link (BEP 52 hash requests)', { timeout: 20_000 }, () => {
  it('fetches the metadata, then the piece layers from the seeder, then the files, byte for byte', async () => {
    const fixture = await makeFixture(SIZES, { version: 2 });
    expect(fixture.metainfo.version).toBe(2);
    const seeder = await startSeeder(fixture);
    const magnet = v2Magnet(fixture, [seeder.address]);
    expect(magnet).toContain(`xt=urn:btmh:1220${toHex(fixture.metainfo.infoHash.v2!)}`);
    expect(magnet).not.toContain('btih');

    const leecher = await startSession();
    const out = await tempDir();
    const torrent = addTorrent(leecher, magnet, { directory: out });
    const bans = recordEvents(torrent, 'peer:ban');
    const [metainfo] = await nextEvent(torrent, 'metadata', 10_000);
    expect(metainfo.version).toBe(2);
    expect(Buffer.from(metainfo.infoBytes).equals(Buffer.from(fixture.metainfo.infoBytes))).toBe(true);
    // Every layer, fetched and proved, equals the .torrent file's.
    expect([...metainfo.pieceLayers!.keys()].sort()).toEqual([...fixture.metainfo.pieceLayers!.keys()].sort());
    for (const [root, layer] of fixture.metainfo.pieceLayers!) expect(metainfo.pieceLayers!.get(root), root).toEqual(layer);
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
    expect(torrent.progress().piecesDone).toBe(fixture.metainfo.pieceCount);
    expect(bans).toHaveLength(0);
  });

  it('strikes a peer whose hashes do not prove themselves (banned after three), and fetches the layers from an honest peer', async () => {
    const { fixture, fake: liar, honest, torrent, out } = await leechFromFake('lie');
    const [host, reason] = await nextEvent(torrent, 'peer:ban', 10_000);
    expect(host).toBe(FAKE_HOST);
    expect(reason).toMatch(/hashes/);
    expect(liar.hashRequests()).toBeGreaterThanOrEqual(3);
    // Still waiting for the layers: no storage, no pieces, no failure.
    expect(torrent.state).toBe('metadata');
    expect(torrent.metainfo).toBeUndefined();

    expect(torrent.addPeer(honest)).toBe(true);
    await within(torrent.whenDone(), 15_000, 'download');
    expect(await sameFiles(fixture, out)).toBe(true);
    expect(torrent.peers().some((p) => p.address.startsWith(`${FAKE_HOST}:`))).toBe(false);
  });

  it('asks another peer for what a peer rejects, and completes without striking it', async () => {
    const { fixture, fake: rejecter, honest, torrent, out } = await leechFromFake('reject');
    const bans = recordEvents(torrent, 'peer:ban');
    // The metadata comes from the rejecter; the layers cannot.
    await until(() => rejecter.hashRequests() >= 2, 10_000, 'hash requests to the rejecting peer');
    expect(torrent.state).toBe('metadata');
    torrent.addPeer(honest);
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
    expect(bans).toHaveLength(0);
  });

  it('stops while it waits for piece layers no peer has: whenDone rejects with CLIENT_STOPPED', async () => {
    const fixture = await makeFixture(SIZES, { version: 2 });
    const rejecter = await startFakePeer(fixture, 'reject');
    const leecher = await startSession();
    const torrent = addTorrent(leecher, v2Magnet(fixture, [rejecter.address]), { directory: await tempDir() });
    const done = torrent.whenDone();
    done.catch(() => undefined);
    await until(() => rejecter.hashRequests() >= 1, 10_000, 'a hash request');
    await within(torrent.stop(), 5000, 'stop');
    expect(torrent.state).toBe('stopped');
    await expect(done).rejects.toMatchObject({ code: 'CLIENT_STOPPED' });
  });
});

describe('Session: serving a v2-only torrent to a bare peer', { timeout: 20_000 }, () => {
  it('answers hash requests with hashes that prove themselves, and rejects what it cannot answer', async () => {
    const fixture = await makeFixture(SIZES, { version: 2 });
    const seeder = await startSeeder(fixture);
    const peer = await connectRaw(fixture, seeder.address);
    const file = fixture.metainfo.files.find((f) => f.length === 8 * PIECE_LENGTH + 500)!;
    const [range] = pieceLayerRequests(file.piecesRoot!, 9, PIECE_LENGTH);
    const answered = new Promise<Uint8Array>((resolve) => peer.once('hashes', (message) => resolve(message.hashes.slice())));
    peer.send({ type: 'hash-request', ...range! });
    const hashes = await within(answered, 5000, 'hashes');
    expect(verifyHashes(range!, hashes, file.piecesRoot!, 4)).toBe(true);
    expect(hashes.subarray(0, 9 * 32)).toEqual(fixture.metainfo.pieceLayers!.get(toHex(file.piecesRoot!)));

    const rejected = new Promise<number>((resolve) => peer.once('hash-reject', (message) => resolve(message.length)));
    peer.send({ type: 'hash-request', ...range!, length: 3 });
    expect(await within(rejected, 5000, 'hash reject')).toBe(3);
  });

  it('serves the last piece of a v2-only torrent padded with zeros to whole blocks, as libtorrent asks for it', async () => {
    const fixture = await makeFixture([2 * PIECE_LENGTH, 1000], { version: 2 });
    const seeder = await startSeeder(fixture);
    const peer = await connectRaw(fixture, seeder.address);
    const last = fixture.metainfo.pieceCount - 1;
    const block = new Promise<Uint8Array>((resolve) => peer.once('piece', (message) => resolve(message.block.slice())));
    peer.interested();
    await within(new Promise((resolve) => peer.once('unchoke', resolve)), 5000, 'unchoke');
    peer.request(last, 0, 16384);
    const got = await within(block, 5000, 'the last block');
    expect(got.length).toBe(16384);
    expect(got.subarray(0, 1000)).toEqual(fixture.files[1]!.data);
    expect(got.subarray(1000).every((b) => b === 0)).toBe(true);
  });
});
