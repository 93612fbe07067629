import { createServer, type Socket } from 'node:net';
import { encodeHandshake } from '@gtorr/wire';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerConnectFailure } from '../../src/index.js';
import { addTorrent, cleanup, freePort, makeFixture, nextEvent, recordEvents, startSession, tempDir, within } from './swarm-helpers.js';

afterEach(cleanup);

/** A loopback server that answers every handshake with `infoHash`'s, closed at the end of `use`. */
async function withWrongPeer<T>(infoHash: Uint8Array, use: (address: string) => Promise<T>): Promise<T> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.write(encodeHandshake({ infoHash, peerId: new Uint8Array(20).fill(7) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use(`127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('Torrent peer:connect-failed', { timeout: 30_000 }, () => {
  it('reports a refused dial to a manual peer with its system code and when it is tried again', async () => {
    const fixture = await makeFixture([64 * 1024]);
    const address = `127.0.0.1:${await freePort()}`;
    const session = await startSession();
    const torrent = addTorrent(session, fixture.metainfo, { directory: await tempDir(), peers: [address] });
    const [failure] = await nextEvent(torrent, 'peer:connect-failed', 5000);
    expect(failure).toMatchObject<Partial<PeerConnectFailure>>({ address, source: 'manual', error: { code: 'ECONNREFUSED', message: expect.any(String) as string } });
    // The peer book's first backoff: 15 s, jittered by +-25 %.
    expect(failure.retryInMs).toBeGreaterThan(10_000);
    expect(failure.retryInMs).toBeLessThanOrEqual(20_000);
  });

  it('reports a peer that answers the handshake with another info hash', async () => {
    const fixture = await makeFixture([64 * 1024]);
    const other = new Uint8Array(20).fill(0xab);
    const session = await startSession();
    await withWrongPeer(other, async (address) => {
      const torrent = addTorrent(session, fixture.metainfo, { directory: await tempDir(), peers: [address] });
      const [failure] = await nextEvent(torrent, 'peer:connect-failed', 5000);
      expect(failure).toMatchObject({ address, source: 'manual', error: { code: 'WIRE_INFO_HASH_MISMATCH' } });
      expect(failure.retryInMs).toBeGreaterThan(0);
      expect(torrent.peers()).toEqual([]);
    });
  });

  it('says nothing of the dials its own stop cuts short', async () => {
    const fixture = await makeFixture([64 * 1024]);
    // A server that accepts and never answers: the dial waits in its handshake until stopped.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const session = await startSession();
      const torrent = addTorrent(session, fixture.metainfo, { directory: await tempDir(), peers: [`127.0.0.1:${(server.address() as { port: number }).port}`] });
      const failures = recordEvents(torrent, 'peer:connect-failed');
      await within(new Promise<void>((resolve) => server.once('connection', () => resolve())), 5000, 'the dial');
      await torrent.stop();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(failures).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
