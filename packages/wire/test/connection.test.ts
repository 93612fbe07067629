import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHandshake, encodeMessage, generatePeerId, PeerConnection, type IncomingOptions, type WireError, type WireMessage } from '../src/index.js';
import { createPeerPair, type PeerPair } from '../src/test.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function pair(options: Parameters<typeof createPeerPair>[0] = {}): Promise<PeerPair> {
  const p = await createPeerPair(options);
  cleanups.push(p.close);
  return p;
}

/** A TCP server on 127.0.0.1 whose accepted sockets go to `onSocket`. */
async function server(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const s = createServer(onSocket);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => s.close());
  return { server: s, port: (s.address() as { port: number }).port };
}

function closed(connection: PeerConnection): Promise<WireError | undefined> {
  return new Promise((resolve) => connection.once('close', resolve));
}

function track(connection: PeerConnection): PeerConnection {
  cleanups.push(() => connection.destroy());
  return connection;
}

describe('PeerConnection', () => {
  describe('handshake', () => {
    it('completes both ways and negotiates the features both sides announce', async () => {
      const outgoingId = generatePeerId();
      const incomingId = generatePeerId();
      const { outgoing, incoming, infoHash } = await pair({
        outgoing: { peerId: outgoingId, features: { extended: true, fast: true, dht: true } },
        incoming: { peerId: incomingId, features: { extended: true, fast: false, dht: true } },
      });
      expect(outgoing.direction).toBe('outgoing');
      expect(incoming.direction).toBe('incoming');
      expect(outgoing.remote?.peerId).toEqual(incomingId);
      expect(incoming.remote?.peerId).toEqual(outgoingId);
      expect(incoming.infoHash).toEqual(infoHash);
      expect(outgoing.features).toEqual({ extended: true, fast: false, dht: true, v2: false });
      expect(incoming.features).toEqual(outgoing.features);
      expect(incoming.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    });

    it('exchanges BEP 10 extended handshakes right after the handshake', async () => {
      const server = await createPeerPair({
        outgoing: { extensions: { ut_metadata: 3 }, extendedHandshake: { v: 'test-out', reqq: 10 } },
        incoming: { extensions: { ut_pex: 1 }, extendedHandshake: { metadataSize: 1234 } },
      });
      cleanups.push(server.close);
      const [[fromOutgoing], [fromIncoming]] = await Promise.all([once(server.incoming, 'extended:handshake'), once(server.outgoing, 'extended:handshake')]);
      expect(fromOutgoing).toMatchObject({ m: { ut_metadata: 3 }, v: 'test-out', reqq: 10 });
      expect(fromIncoming).toMatchObject({ m: { ut_pex: 1 }, metadataSize: 1234 });
      expect(server.outgoing.remoteExtended?.metadataSize).toBe(1234);
    });

    it('works with a 32-byte v2 info hash, truncated to 20 bytes on the wire', async () => {
      const v2 = new Uint8Array(randomBytes(32));
      const { outgoing, incoming } = await pair({ infoHash: v2 });
      expect(incoming.infoHash).toEqual(v2.subarray(0, 20));
      expect(outgoing.infoHash).toEqual(v2.subarray(0, 20));
    });

    it('rejects an incoming peer that asks for an info hash we do not serve', async () => {
      const ours = new Uint8Array(20).fill(1);
      let incoming: PeerConnection | undefined;
      const { port } = await server((socket) => (incoming = track(PeerConnection.accept(socket, { infoHashes: (h) => h[0] === ours[0] }))));
      const outgoing = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: new Uint8Array(20).fill(2) }));
      await expect(outgoing.ready).rejects.toMatchObject({ code: 'WIRE_CLOSED' });
      await expect(incoming!.ready).rejects.toMatchObject({ code: 'WIRE_INFO_HASH_MISMATCH', peer: incoming!.peer });
    });

    it('announces the features an incoming acceptor sets for the torrent the peer named (the BEP 52 v2 bit per torrent)', async () => {
      const v2Torrent = new Uint8Array(20).fill(5);
      let incoming: PeerConnection | undefined;
      const { port } = await server((socket) => {
        const options: IncomingOptions = {
          infoHashes: (h) => {
            options.features = { extended: true, fast: true, v2: h[0] === v2Torrent[0] };
            return true;
          },
        };
        incoming = track(PeerConnection.accept(socket, options));
      });
      const toV2 = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: v2Torrent, features: { extended: true, fast: true, v2: true } }));
      const theirs = await toV2.ready;
      expect(theirs.features.v2).toBe(true);
      expect(toV2.features.v2).toBe(true);
      expect(incoming!.features.v2).toBe(true);
      const toV1 = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: new Uint8Array(20).fill(6), features: { extended: true, fast: true, v2: true } }));
      expect((await toV1.ready).features.v2).toBe(false);
      expect(toV1.features).toEqual({ extended: true, fast: true, dht: false, v2: false });
    });

    it('takes the upgrade of a hybrid torrent to v2 (BEP 52): dialled by the v1 hash with the v2 bit, answered with the v2 hash', async () => {
      const v1 = new Uint8Array(20).fill(7);
      const v2 = new Uint8Array(32).fill(8);
      const { port } = await server((socket) => socket.write(encodeHandshake({ infoHash: v2, peerId: generatePeerId(), reserved: { extended: true, fast: true, v2: true } })));
      const upgraded = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: v1, upgradeInfoHash: v2, features: { extended: true, fast: true, v2: true } }));
      await upgraded.ready;
      expect(upgraded.infoHash).toEqual(v2.subarray(0, 20));
      // Without the v2 bit of ours, the same answer is another torrent's.
      const plain = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: v1, upgradeInfoHash: v2 }));
      expect(await closed(plain)).toMatchObject({ code: 'WIRE_INFO_HASH_MISMATCH' });
    });

    it('rejects a peer that answers with another info hash', async () => {
      const { port } = await server((socket) => socket.write(encodeHandshake({ infoHash: new Uint8Array(20).fill(9), peerId: generatePeerId() })));
      const outgoing = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: new Uint8Array(20).fill(1) }));
      const error = await closed(outgoing);
      expect(error).toMatchObject({ code: 'WIRE_INFO_HASH_MISMATCH', peer: `127.0.0.1:${port}` });
      await expect(outgoing.ready).rejects.toBe(error);
    });

    it('times out a peer that never answers', async () => {
      const { port } = await server(() => undefined);
      const outgoing = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: new Uint8Array(20), handshakeTimeout: 100 }));
      const started = Date.now();
      await expect(outgoing.ready).rejects.toMatchObject({ code: 'WIRE_HANDSHAKE_TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(outgoing.destroyed).toBe(true);
    });

    it('reports a refused connection as WIRE_SOCKET_ERROR', async () => {
      const { server: s, port } = await server(() => undefined);
      await new Promise((resolve) => s.close(resolve));
      const outgoing = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: new Uint8Array(20) }));
      await expect(outgoing.ready).rejects.toMatchObject({ code: 'WIRE_SOCKET_ERROR', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    });

    it('holds messages sent before the handshake until it is done', async () => {
      const infoHash = new Uint8Array(20).fill(4);
      const received = new Promise<WireMessage>((resolve) => {
        void server((socket) => {
          const incoming = track(PeerConnection.accept(socket, { infoHashes: [infoHash] }));
          incoming.on('have', resolve);
        }).then(({ port }) => {
          const outgoing = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash }));
          outgoing.have(42);
        });
      });
      expect(await received).toEqual({ type: 'have', index: 42 });
    });
  });

  describe('messages and state', () => {
    it('tracks choke and interest on both sides and carries a piece', async () => {
      const { outgoing, incoming } = await pair();
      expect([outgoing.amChoking, outgoing.amInterested, outgoing.peerChoking, outgoing.peerInterested]).toEqual([true, false, true, false]);
      incoming.on('interested', () => incoming.unchoke());
      incoming.on('request', ({ index, begin, length }) => incoming.piece(index, begin, new Uint8Array(length).fill(index)));
      outgoing.on('unchoke', () => outgoing.request(7, 16384, 16384));
      outgoing.interested();
      const [piece] = (await once(outgoing, 'piece')) as [Extract<WireMessage, { type: 'piece' }>];
      expect(piece.index).toBe(7);
      expect(piece.begin).toBe(16384);
      expect(Buffer.from(piece.block).equals(Buffer.alloc(16384, 7))).toBe(true);
      expect(outgoing.amInterested).toBe(true);
      expect(outgoing.peerChoking).toBe(false);
      expect(incoming.peerInterested).toBe(true);
      expect(incoming.amChoking).toBe(false);
    });

    it('emits every message both as `message` and under its own name', async () => {
      const { outgoing, incoming } = await pair();
      const seen: string[] = [];
      incoming.on('message', (m) => m.type !== 'extended' && seen.push(`message:${m.type}`));
      incoming.on('have-all', () => seen.push('have-all'));
      outgoing.send({ type: 'have-all' });
      outgoing.send({ type: 'port', port: 6881 });
      await once(incoming, 'port');
      expect(seen).toEqual(['message:have-all', 'have-all', 'message:port']);
    });

    it('sends extended messages by the id the peer chose, and names them on arrival', async () => {
      const { outgoing, incoming } = await pair({ incoming: { extensions: { ut_metadata: 5 } } });
      await once(outgoing, 'extended:handshake');
      expect(() => outgoing.sendExtended('ut_pex', new Uint8Array())).toThrow(expect.objectContaining({ code: 'WIRE_UNSUPPORTED_EXTENSION' }));
      outgoing.sendExtended('ut_metadata', new Uint8Array([1, 2]));
      const [message, name] = (await once(incoming, 'extended')) as [WireMessage, string];
      expect(message).toMatchObject({ type: 'extended', id: 5 });
      expect([...(message as Extract<WireMessage, { type: 'extended' }>).payload]).toEqual([1, 2]);
      expect(name).toBe('ut_metadata');
    });

    it('passes unknown message ids on and keeps the connection open', async () => {
      const { outgoing, incoming } = await pair();
      outgoing.send({ type: 'unknown', id: 99, payload: new Uint8Array([1]) });
      outgoing.have(3);
      const [[unknown]] = (await Promise.all([once(incoming, 'unknown'), once(incoming, 'have')])) as [[Extract<WireMessage, { type: 'unknown' }>], unknown];
      expect(unknown.id).toBe(99);
      expect(incoming.destroyed).toBe(false);
    });

    it('checks bitfields against a piece count set later', async () => {
      const { outgoing, incoming } = await pair();
      incoming.setPieceCount(20);
      outgoing.bitfield(new Uint8Array(2));
      const error = await closed(incoming);
      expect(error).toMatchObject({ code: 'WIRE_BAD_LENGTH', peer: incoming.peer });
      expect(error!.offset).toBeGreaterThan(68); // after the handshake and the extended handshake
    });

    it('closes on a BEP 6 message when the fast extension is off', async () => {
      const { outgoing, incoming } = await pair({ incoming: { features: { extended: true } } });
      outgoing.send({ type: 'have-none' });
      expect(await closed(incoming)).toMatchObject({ code: 'WIRE_UNEXPECTED_MESSAGE' });
    });

    it('closes on a malformed message with the offset and the peer', async () => {
      const infoHash = new Uint8Array(20).fill(3);
      let incoming: PeerConnection | undefined;
      const accepted = new Promise<void>((resolve) => {
        void server((socket) => {
          incoming = track(PeerConnection.accept(socket, { infoHashes: [infoHash] }));
          resolve();
        }).then(({ port }) => {
          const socket = connect({ host: '127.0.0.1', port });
          cleanups.push(() => socket.destroy());
          socket.write(encodeHandshake({ infoHash, peerId: generatePeerId() }));
          socket.write(encodeMessage({ type: 'have', index: 1 }));
          socket.write(new Uint8Array([0, 0, 0, 6, 4, 0, 0, 0, 0, 0]));
          socket.on('error', () => undefined);
        });
      });
      await accepted;
      const error = await closed(incoming!);
      expect(error).toMatchObject({ code: 'WIRE_BAD_LENGTH', offset: 68 + 9, peer: incoming!.peer });
    });
  });

  describe('timers', () => {
    it('sends keep-alives after send-silence, which keep an idle timeout at bay', async () => {
      const { outgoing, incoming } = await pair({ outgoing: { keepAliveInterval: 80 }, incoming: { idleTimeout: 300, keepAliveInterval: 0 } });
      let keepAlives = 0;
      incoming.on('keep-alive', () => keepAlives++);
      await sleep(700);
      expect(keepAlives).toBeGreaterThanOrEqual(3);
      expect(incoming.destroyed).toBe(false);
      expect(outgoing.destroyed).toBe(false);
    });

    it('closes a connection on which nothing arrives for idleTimeout', async () => {
      const { outgoing, incoming } = await pair({ outgoing: { keepAliveInterval: 0 }, incoming: { idleTimeout: 150 } });
      const started = Date.now();
      expect(await closed(incoming)).toMatchObject({ code: 'WIRE_IDLE_TIMEOUT', peer: incoming.peer });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await closed(outgoing)).toMatchObject({ code: 'WIRE_CLOSED' });
    });
  });

  describe('backpressure', () => {
    it('pauses the socket for a slow consumer, buffers boundedly, and loses nothing', async () => {
      const { outgoing, incoming } = await pair({ incoming: { highWaterMark: 16 } });
      const total = 1024; // 16 MiB of pieces
      const block = new Uint8Array(16384);
      let sent = 0;
      let sawFullBuffer = false;
      const pump = async () => {
        while (sent < total) {
          block.fill(sent & 0xff);
          const ok = outgoing.piece(sent, 0, block.slice());
          sent++;
          if (!ok) {
            sawFullBuffer = true;
            await once(outgoing, 'drain');
          }
        }
      };
      const sending = pump();
      const internals = incoming as unknown as { socket: Socket; decoder: { buffered: number } };
      let maxHeld = 0;
      let received = 0;
      let sawPaused = false;
      for await (const message of incoming.messages()) {
        if (message.type !== 'piece') continue;
        expect(message.index).toBe(received);
        expect(message.block[100]).toBe(received & 0xff);
        received++;
        if (received % 64 === 1) {
          await sleep(20); // the slow consumer
          sawPaused ||= incoming.isPaused && internals.socket.isPaused();
        }
        maxHeld = Math.max(maxHeld, internals.socket.readableLength + internals.decoder.buffered);
        if (received === total) break;
      }
      await sending;
      // Leaving the loop early hands the socket back to normal flow.
      expect(incoming.isPaused).toBe(false);
      expect(received).toBe(total);
      expect(sawPaused).toBe(true);
      expect(sawFullBuffer).toBe(true);
      // The receiver holds at most its socket's high-water mark and one message beyond the queue.
      expect(maxHeld).toBeLessThan(1 << 20);
    });

    it('pause() holds messages back until resume()', async () => {
      const { outgoing, incoming } = await pair();
      const seen: number[] = [];
      incoming.on('have', ({ index }) => seen.push(index));
      incoming.pause();
      outgoing.have(1);
      outgoing.have(2);
      await sleep(100);
      expect(seen).toEqual([]);
      incoming.resume();
      await once(incoming, 'have');
      await sleep(10);
      expect(seen).toEqual([1, 2]);
    });

    it('does not time out as idle while paused', async () => {
      const { incoming } = await pair({ outgoing: { keepAliveInterval: 0 }, incoming: { idleTimeout: 100 } });
      incoming.pause();
      await sleep(400);
      expect(incoming.destroyed).toBe(false);
    });
  });

  describe('closing', () => {
    it('closes through its AbortSignal with WIRE_ABORTED', async () => {
      const controller = new AbortController();
      const { outgoing, incoming } = await pair({ outgoing: { signal: controller.signal } });
      const reason = new Error('stop');
      controller.abort(reason);
      expect(await closed(outgoing)).toMatchObject({ code: 'WIRE_ABORTED', cause: reason });
      expect(await closed(incoming)).toMatchObject({ code: 'WIRE_CLOSED' });
    });

    it('closes at once with an already aborted signal', async () => {
      const { port } = await server(() => undefined);
      const outgoing = track(PeerConnection.connect({ host: '127.0.0.1', port, infoHash: new Uint8Array(20), signal: AbortSignal.abort() }));
      await expect(outgoing.ready).rejects.toMatchObject({ code: 'WIRE_ABORTED' });
    });

    it('destroy() is idempotent and emits close once, without an error', async () => {
      const { outgoing } = await pair();
      const events: unknown[] = [];
      outgoing.on('close', (error) => events.push(error));
      outgoing.destroy();
      outgoing.destroy();
      await sleep(20);
      expect(events).toEqual([undefined]);
      expect(outgoing.send({ type: 'choke' })).toBe(false);
    });

    it('ends messages() quietly when the peer hangs up', async () => {
      const { outgoing, incoming } = await pair();
      outgoing.have(1);
      setTimeout(() => outgoing.destroy(), 50);
      const got: WireMessage[] = [];
      for await (const message of incoming.messages()) got.push(message);
      expect(got).toContainEqual({ type: 'have', index: 1 });
    });

    it('throws from messages() the error that closed the connection', async () => {
      const { outgoing, incoming } = await pair({ incoming: { idleTimeout: 100 }, outgoing: { keepAliveInterval: 0 } });
      void outgoing;
      await expect(
        (async () => {
          for await (const _ of incoming.messages()) void _;
        })(),
      ).rejects.toMatchObject({ code: 'WIRE_IDLE_TIMEOUT' });
    });
  });
});
