import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createUdpTrackerServer,
  decodeResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  UdpTrackerClient,
  type AnnounceRequest,
  type UdpResponse,
  type UdpTrackerServer,
  type UdpTrackerServerOptions,
} from '../../src/index.js';
import { memorySwarms } from '../memory-swarms.js';

const hash = new Uint8Array(20).fill(0x11);
const peer = (n: number, left = 10, extra: Partial<AnnounceRequest> = {}): AnnounceRequest => ({ infoHash: hash, peerId: new Uint8Array(20).fill(n), port: 5000 + n, uploaded: 0, downloaded: 0, left, ...extra });

let servers: UdpTrackerServer[] = [];
let clients: UdpTrackerClient[] = [];
afterEach(async () => {
  await Promise.all([...servers.map((s) => s.stop()), ...clients.map((c) => c.close())]);
  servers = [];
  clients = [];
});

async function start(options: Partial<UdpTrackerServerOptions> = {}, host = '127.0.0.1') {
  const swarms = memorySwarms();
  const server = createUdpTrackerServer({ swarms, interval: 77, ...options });
  servers.push(server);
  const address = await server.start({ port: 0, host });
  const client = new UdpTrackerClient({ retransmitBaseMs: 200, maxRetransmits: 2 });
  clients.push(client);
  return { server, address, client, swarms };
}

/** Sends raw packets from one socket and collects the decoded replies. */
async function exchange(port: number, packets: Uint8Array[], waitMs = 150): Promise<UdpResponse[]> {
  const socket = createSocket('udp4');
  const replies: UdpResponse[] = [];
  socket.on('message', (m) => replies.push(decodeResponse(m, 4)));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  for (const p of packets) socket.send(p, port, '127.0.0.1');
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return replies;
}

describe('createUdpTrackerServer with UdpTrackerClient', () => {
  it('lets two announcing peers see each other, and scrapes', async () => {
    const { address, client } = await start();
    expect(address.announceUrl).toMatch(/^udp:\/\/127\.0\.0\.1:\d+$/);
    await client.announce(address.announceUrl, peer(1, 0, { event: 'started' }));
    const b = await client.announce(address.announceUrl, peer(2));
    expect(b).toEqual({ interval: 77, complete: 1, incomplete: 1, peers: [{ host: '127.0.0.1', port: 5001 }] });
    expect((await client.scrape(address.announceUrl, [hash])).files).toEqual([{ infoHash: hash, complete: 1, incomplete: 1, downloaded: 0 }]);
  });

  it('serves IPv6 clients 18-byte peers', async () => {
    const { address, client } = await start({}, '::1');
    await client.announce(address.announceUrl, peer(1));
    expect((await client.announce(address.announceUrl, peer(2))).peers).toEqual([{ host: '::1', port: 5001 }]);
  });

  it('caps numwant and maps -1 to the default', async () => {
    const { address, client, swarms } = await start({ defaultNumwant: 7, maxNumwant: 20 });
    await client.announce(address.announceUrl, peer(1));
    await client.announce(address.announceUrl, peer(2, 10, { numwant: 500 }));
    expect(swarms.calls.map((c) => c.numwant)).toEqual([7, 20]);
  });

  it('refuses an unknown connection id and a torrent it does not serve, with error replies', async () => {
    const { address } = await start({ allowInfoHash: (h) => h[0] === 0x11 });
    const base = { infoHash: hash, peerId: new Uint8Array(20), downloaded: 0, left: 0, uploaded: 0, event: undefined, ip: 0, key: 0, numwant: -1, port: 1 };
    const [forged] = await exchange(address.port, [encodeAnnounceRequest({ ...base, connectionId: 12345n, transactionId: 9 })]);
    expect(forged).toEqual({ action: 'error', transactionId: 9, message: 'connection id expired or unknown' });
    const client = new UdpTrackerClient({ retransmitBaseMs: 200, maxRetransmits: 1 });
    clients.push(client);
    const error = await client.announce(address.announceUrl, { ...peer(1), infoHash: new Uint8Array(20).fill(0x22) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRACKER_FAILURE', failureReason: 'unregistered torrent' });
  });

  it('accepts a connection id for one to two minutes (BEP 15), then refuses it', async () => {
    let now = 0;
    const { address } = await start({ now: () => now });
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const replies: UdpResponse[] = [];
    socket.on('message', (m) => replies.push(decodeResponse(m, 4)));
    const send = async (p: Uint8Array) => {
      const before = replies.length;
      socket.send(p, address.port, '127.0.0.1');
      for (let i = 0; i < 100 && replies.length === before; i++) await new Promise((r) => setTimeout(r, 5));
      return replies.at(-1)!;
    };
    try {
      const connected = await send(encodeConnectRequest(1));
      const id = connected.action === 'connect' ? connected.connectionId : -1n;
      const announce = (tid: number) => encodeAnnounceRequest({ connectionId: id, transactionId: tid, infoHash: hash, peerId: new Uint8Array(20), downloaded: 0, left: 0, uploaded: 0, event: undefined, ip: 0, key: 0, numwant: -1, port: 1 });
      now = 119_999;
      expect((await send(announce(2))).action).toBe('announce');
      now = 120_000;
      expect(await send(announce(3))).toMatchObject({ action: 'error', transactionId: 3 });
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });

  it('answers an error, and keeps serving, when its swarm store fails', async () => {
    const { address, client, swarms } = await start();
    const real = swarms.announce.bind(swarms);
    let calls = 0;
    swarms.announce = (...args) => {
      if (++calls === 1) throw new Error('store down');
      return real(...args);
    };
    const error = await client.announce(address.announceUrl, peer(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRACKER_FAILURE', failureReason: 'internal error' });
    expect((await client.announce(address.announceUrl, peer(1))).interval).toBe(77);
  });

  it('does not answer unreadable packets', async () => {
    const { address } = await start();
    expect(await exchange(address.port, [new Uint8Array(10), new Uint8Array(16), new Uint8Array(200).fill(0xff)])).toEqual([]);
  });
});
