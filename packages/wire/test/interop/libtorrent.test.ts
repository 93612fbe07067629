// Live interop with libtorrent 2.0 (python3-libtorrent): a libtorrent seed on loopback, and
// a PeerConnection that handshakes with it, reads its extended handshake, fetches the
// metadata over BEP 9 and downloads piece 0, checked against the .torrent's SHA-1; then the
// seed dials us, and an incoming PeerConnection downloads the short last piece.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWithSpans, isDictionary, type BencodeDictionary } from '@gtorr/bencode';
import { freePort, interop, startProcess, SYSTEM_PYTHON, waitFor, type ManagedProcess } from '@gtorr/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMetadataMessage, encodeMetadataMessage, PeerConnection, UT_METADATA, type ExtendedHandshake, type WireMessage } from '../../src/index.js';

const SCRIPT = fileURLToPath(new URL('./libtorrent-seed.py', import.meta.url));
const BLOCK = 16384;

interface Seed {
  port: number;
  torrent: string;
  infoHash: string;
  pieces: number;
}

/** Resolves with the first `event` of `connection` that `accept` takes, or rejects after `ms` or on close. */
function next<T>(connection: PeerConnection, event: 'message' | 'extended:handshake', accept: (value: T) => boolean, ms: number): Promise<T> {
  const promise = new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      connection.off(event, listener as never);
      connection.off('close', onClose);
    };
    const listener = (value: T) => {
      if (!accept(value)) return;
      done();
      resolve(value);
    };
    const onClose = (error: unknown) => {
      done();
      reject(error instanceof Error ? error : new Error(`connection closed while waiting for ${event}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${ms} ms waiting for ${event}`));
    }, ms);
    connection.on(event, listener as never);
    connection.once('close', onClose);
  });
  // Awaited later, maybe never when an earlier step fails: that failure is the one to report.
  promise.catch(() => undefined);
  return promise;
}

describe.runIf(interop('libtorrent'))('interop: libtorrent seed', () => {
  let workdir: string;
  let seeder: ManagedProcess;
  let seed: Seed;
  let info: BencodeDictionary;
  let infoBytes: Uint8Array;
  let peer: PeerConnection | undefined;
  let incoming: PeerConnection | undefined;

  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'gtorr-wire-interop-'));
    const port = await freePort();
    seeder = startProcess(SYSTEM_PYTHON, [SCRIPT, String(port), workdir]);
    seed = await waitFor(
      'the libtorrent seed to be ready',
      () => {
        const line = seeder.output().split('\n').find((l) => l.startsWith('{'));
        if (line === undefined) return undefined;
        const parsed = JSON.parse(line) as Seed & { ready: boolean };
        if (!parsed.ready) throw new Error(`seeder failed: ${seeder.output()}`);
        return parsed;
      },
      30_000,
    );
    const torrent = await readFile(seed.torrent);
    const decoded = decodeWithSpans(torrent);
    const root = decoded.value as BencodeDictionary;
    if (!isDictionary(root.info)) throw new Error('torrent has no info dictionary');
    info = root.info;
    infoBytes = decoded.raw(info)!;
  }, 40_000);

  afterAll(async () => {
    peer?.destroy();
    incoming?.destroy();
    await seeder?.stop();
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  it('handshakes, fetches the metadata and downloads piece 0 matching its SHA-1', async () => {
    const infoHash = createHash('sha1').update(infoBytes).digest();
    expect(infoHash.toString('hex')).toBe(seed.infoHash);
    const pieceLength = info['piece length'] as number;
    const pieceHashes = info.pieces as Uint8Array;
    expect(pieceHashes.length).toBe(20 * seed.pieces);

    const connection = PeerConnection.connect({ host: '127.0.0.1', port: seed.port, infoHash, pieceCount: seed.pieces, extensions: { [UT_METADATA]: 3 }, handshakeTimeout: 10_000 });
    peer = connection;
    // Listeners first: the seed sends its extended handshake and have-all right after the handshake.
    const extended = next<ExtendedHandshake>(connection, 'extended:handshake', () => true, 10_000);
    const availability = next<WireMessage>(connection, 'message', (m) => m.type === 'bitfield' || m.type === 'have-all', 10_000);

    const remote = await connection.ready;
    expect(remote.infoHash).toEqual(new Uint8Array(infoHash));
    expect(remote.features.extended).toBe(true);
    expect(remote.features.fast).toBe(true);
    expect(connection.features.fast).toBe(true);

    const handshake = await extended;
    expect(handshake.m[UT_METADATA]).toBeGreaterThan(0);
    expect(handshake.metadataSize).toBe(infoBytes.length);
    expect(handshake.v).toMatch(/libtorrent/i);

    const have = await availability;
    if (have.type === 'bitfield') expect(have.bitfield[0]! & 0xe0).toBe(0xe0);
    else expect(have.type).toBe('have-all');

    // BEP 9: the metadata libtorrent serves is the info dictionary, byte for byte.
    const metadata = next<WireMessage>(connection, 'message', (m) => m.type === 'extended' && m.id === 3, 10_000);
    connection.sendExtended(UT_METADATA, encodeMetadataMessage({ type: 'request', piece: 0 }));
    const metadataMessage = await metadata;
    const decodedMetadata = metadataMessage.type === 'extended' ? decodeMetadataMessage(metadataMessage.payload) : undefined;
    expect(decodedMetadata?.type).toBe('data');
    if (decodedMetadata?.type === 'data') {
      expect(decodedMetadata.totalSize).toBe(infoBytes.length);
      expect(Buffer.from(decodedMetadata.data).equals(infoBytes)).toBe(true);
    }

    const unchoked = next<WireMessage>(connection, 'message', (m) => m.type === 'unchoke', 10_000);
    connection.interested();
    await unchoked;
    expect(connection.peerChoking).toBe(false);

    const piece = await download(connection, 0, pieceLength);
    expect(createHash('sha1').update(piece).digest().equals(pieceHashes.subarray(0, 20))).toBe(true);
  }, 60_000);

  it('accepts a connection libtorrent dials, and downloads the short last piece from it', async () => {
    const infoHash = createHash('sha1').update(infoBytes).digest();
    const pieceLength = info['piece length'] as number;
    const lastLength = (info.length as number) - (seed.pieces - 1) * pieceLength;
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const accepted = new Promise<Socket>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('libtorrent did not dial within 20 s')), 20_000);
        server.once('connection', (socket: Socket) => {
          clearTimeout(timer);
          resolve(socket);
        });
      });
      await writeFile(join(workdir, 'connect'), String((server.address() as AddressInfo).port));
      const socket = await accepted;
      const connection = PeerConnection.accept(socket, { infoHashes: [infoHash], pieceCount: seed.pieces });
      incoming = connection;
      // libtorrent's choker may wait for its next round (unchoke_interval, 15 s) on a busy machine.
      const unchoked = next<WireMessage>(connection, 'message', (m) => m.type === 'unchoke', 20_000);
      const remote = await connection.ready;
      expect(connection.direction).toBe('incoming');
      expect(remote.infoHash).toEqual(new Uint8Array(infoHash));
      connection.send({ type: 'have-none' });
      connection.interested();
      await unchoked;
      const piece = await download(connection, seed.pieces - 1, lastLength);
      const hashes = info.pieces as Uint8Array;
      expect(createHash('sha1').update(piece).digest().equals(hashes.subarray(20 * (seed.pieces - 1)))).toBe(true);
    } finally {
      server.close();
    }
  }, 60_000);
});

/** Requests every 16 KiB block of `index` (the last one shorter) and assembles them. */
function download(connection: PeerConnection, index: number, length: number): Promise<Uint8Array> {
  const piece = new Uint8Array(length);
  const blocks = Math.ceil(length / BLOCK);
  let received = 0;
  const done = new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received} of ${blocks} blocks after 15 s`)), 15_000);
    connection.on('piece', (message) => {
      if (message.index !== index || message.begin % BLOCK !== 0 || message.block.length !== Math.min(BLOCK, length - message.begin)) {
        reject(new Error(`unexpected block ${message.index}/${message.begin}/${message.block.length}`));
      }
      piece.set(message.block, message.begin);
      if (++received === blocks) {
        clearTimeout(timer);
        resolve(piece);
      }
    });
    connection.once('close', (error) => reject(error ?? new Error('closed')));
  });
  for (let begin = 0; begin < length; begin += BLOCK) connection.request(index, begin, Math.min(BLOCK, length - begin));
  return done;
}
