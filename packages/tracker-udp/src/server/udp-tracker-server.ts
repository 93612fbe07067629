import { createHmac, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { decodeRequest, type UdpRequest } from '../protocol/udp-request.js';
import { encodeAnnounceResponse, encodeConnectResponse, encodeErrorResponse, encodeScrapeResponse } from '../protocol/udp-response.js';
import type { AnnounceEvent } from '../types.js';

/** An announce as the swarm store receives it (the shape of @gtorr/tracker-http's `SwarmStore`). */
export interface UdpSwarmAnnounce {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly host: string;
  readonly port: number;
  readonly left: number;
  readonly uploaded: number;
  readonly downloaded: number;
  readonly event: AnnounceEvent | undefined;
  readonly numwant: number;
}

/**
 * Where the swarms live. @gtorr/tracker-http's `SwarmStore` (and `TrackerServer.swarms`)
 * fits, so one set of swarms can be served over HTTP and UDP alike.
 */
export interface UdpSwarmBackend {
  /** Records an announce; returns the answer, or a refusal's reason as text. */
  announce(
    input: UdpSwarmAnnounce,
    now: number,
    families: ReadonlySet<4 | 6>,
  ): { readonly complete: number; readonly incomplete: number; readonly peers: readonly { readonly host: string; readonly port: number; readonly family: 4 | 6 }[] } | string;
  counts(infoHash: Uint8Array, now: number): { readonly complete: number; readonly incomplete: number; readonly downloaded: number };
}

export interface UdpTrackerServerOptions {
  readonly swarms: UdpSwarmBackend;
  /** Seconds between announces asked for. Default 1800. */
  readonly interval?: number;
  /** Peers sent when the client leaves numwant at -1. Default 50. */
  readonly defaultNumwant?: number;
  /** The most peers sent: a reply should fit one unfragmented datagram. Default 74 (BEP 15's scrape bound, 1,352 bytes of IPv6 peers). */
  readonly maxNumwant?: number;
  /** Only swarms this accepts are served. Default: every info hash. */
  readonly allowInfoHash?: (infoHash: Uint8Array) => boolean;
  /** Clock in ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface UdpTrackerServerStartOptions {
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
}

export interface UdpTrackerServerAddress {
  readonly host: string;
  readonly port: number;
  /** `udp://host:port` */
  readonly announceUrl: string;
}

/** A BEP 15 tracker over an injected swarm store. */
export interface UdpTrackerServer {
  start(options?: UdpTrackerServerStartOptions): Promise<UdpTrackerServerAddress>;
  /** Closes the socket. */
  stop(): Promise<void>;
  readonly address: UdpTrackerServerAddress | undefined;
}

// BEP 15: a connection id is accepted for two minutes. Ids are a keyed hash of the client's
// address and the minute, so the server keeps no state per client and a spoofer, who never
// sees the connect reply, cannot make one up.
const WINDOW_MS = 60_000;

/** Creates a UDP tracker serving `options.swarms`. Nothing listens until `start()`. */
export function createUdpTrackerServer(options: UdpTrackerServerOptions): UdpTrackerServer {
  const interval = options.interval ?? 1800;
  const defaultNumwant = options.defaultNumwant ?? 50;
  const maxNumwant = options.maxNumwant ?? 74;
  for (const [name, value] of [['interval', interval], ['defaultNumwant', defaultNumwant], ['maxNumwant', maxNumwant]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  const now = options.now ?? Date.now;
  const allow = options.allowInfoHash ?? (() => true);
  const secret = randomBytes(32);

  function connectionId(remote: RemoteInfo, window: number): bigint {
    return createHmac('sha256', secret).update(`${window}|${remote.address}|${remote.port}`).digest().readBigUInt64BE(0);
  }

  function validConnection(id: bigint, remote: RemoteInfo): boolean {
    const window = Math.floor(now() / WINDOW_MS);
    return id === connectionId(remote, window) || id === connectionId(remote, window - 1);
  }

  function answer(request: UdpRequest, remote: RemoteInfo): Uint8Array {
    if (request.action === 'connect') return encodeConnectResponse(request.transactionId, connectionId(remote, Math.floor(now() / WINDOW_MS)));
    if (!validConnection(request.connectionId, remote)) return encodeErrorResponse(request.transactionId, 'connection id expired or unknown');
    // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; they are IPv4 clients.
    const host = remote.address.toLowerCase().startsWith('::ffff:') && isIP(remote.address.slice(7)) === 4 ? remote.address.slice(7) : remote.address;
    const family = isIP(host) === 6 ? 6 : 4;
    if (request.action === 'scrape') {
      return encodeScrapeResponse(
        request.transactionId,
        request.infoHashes.map((h) => (allow(h) ? options.swarms.counts(h, now()) : { complete: 0, incomplete: 0, downloaded: 0 })),
      );
    }
    if (!allow(request.infoHash)) return encodeErrorResponse(request.transactionId, 'unregistered torrent');
    if (request.port === 0) return encodeErrorResponse(request.transactionId, 'port must be from 1 to 65535');
    const safe = (n: bigint) => Number(n > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : n);
    const result = options.swarms.announce(
      {
        infoHash: request.infoHash,
        peerId: request.peerId,
        host,
        port: request.port,
        left: safe(request.left),
        uploaded: safe(request.uploaded),
        downloaded: safe(request.downloaded),
        event: request.event,
        numwant: Math.min(request.numwant < 0 ? defaultNumwant : request.numwant, maxNumwant),
      },
      now(),
      new Set([family]),
    );
    if (typeof result === 'string') return encodeErrorResponse(request.transactionId, result);
    // The socket's family decides the peer size (BEP 15): send only peers of that family.
    const peers = result.peers.filter((p) => p.family === family);
    return encodeAnnounceResponse(request.transactionId, { interval, incomplete: result.incomplete, complete: result.complete, peers }, family);
  }

  let socket: Socket | undefined;
  let address: UdpTrackerServerAddress | undefined;

  return {
    get address() {
      return address;
    },
    async start(startOptions = {}) {
      if (socket !== undefined) throw new Error('UDP tracker server already started');
      const host = startOptions.host ?? '127.0.0.1';
      const created = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      socket = created;
      created.on('message', (message, remote) => {
        let request: UdpRequest;
        try {
          request = decodeRequest(message);
        } catch {
          // Unreadable packets get no answer: answering could make us an amplifier.
          return;
        }
        let reply: Uint8Array;
        try {
          reply = answer(request, remote);
        } catch {
          // A bug met by one packet (or a failing swarm store) must not take down the process.
          reply = encodeErrorResponse(request.transactionId, 'internal error');
        }
        created.send(reply, remote.port, remote.address);
      });
      try {
        await new Promise<void>((resolve, reject) => {
          created.once('error', reject);
          created.bind(startOptions.port ?? 0, host, () => {
            created.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        socket = undefined;
        created.close();
        throw error;
      }
      // Send errors (an unreachable client) concern one datagram; the server goes on.
      created.on('error', () => {});
      const port = created.address().port;
      address = { host, port, announceUrl: `udp://${isIP(host) === 6 ? `[${host}]` : host}:${port}` };
      return address;
    },
    async stop() {
      const closing = socket;
      socket = undefined;
      address = undefined;
      if (closing !== undefined) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}
