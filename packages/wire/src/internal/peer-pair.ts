import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { PeerConnectionOptions } from '../connection-options.js';
import { PeerConnection } from '../connection.js';

export interface PeerPairOptions {
  /** The torrent both sides speak about. Default: 20 random bytes. */
  infoHash?: Uint8Array;
  /** Options of the side that dials (it names the info hash). */
  outgoing?: PeerConnectionOptions;
  /** Options of the side that accepts. */
  incoming?: PeerConnectionOptions;
}

export interface PeerPair {
  readonly outgoing: PeerConnection;
  readonly incoming: PeerConnection;
  readonly infoHash: Uint8Array;
  /** Destroys both connections. */
  readonly close: () => void;
}

/**
 * Two `PeerConnection`s joined over a real TCP socket on 127.0.0.1, resolved once both
 * handshakes are done. Messages (the extended handshakes included) are dispatched from the
 * next macrotask on, so listeners attached when this resolves see all of them. Call
 * `close()` when done.
 */
export async function createPeerPair(options: PeerPairOptions = {}): Promise<PeerPair> {
  const infoHash = options.infoHash ?? new Uint8Array(randomBytes(20));
  const server = createServer({ noDelay: true });
  const accepted = new Promise<Socket>((resolve, reject) => {
    server.once('connection', resolve);
    server.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('wire: test server has no port');
  const outgoing = PeerConnection.connect({ ...options.outgoing, host: '127.0.0.1', port: address.port, infoHash });
  try {
    const socket = await accepted;
    const incoming = PeerConnection.accept(socket, { ...options.incoming, infoHashes: [infoHash] });
    const close = () => {
      outgoing.destroy();
      incoming.destroy();
    };
    try {
      await Promise.all([outgoing.ready, incoming.ready]);
    } catch (error) {
      close();
      throw error;
    }
    return { outgoing, incoming, infoHash, close };
  } catch (error) {
    outgoing.destroy();
    throw error;
  } finally {
    server.close();
  }
}
