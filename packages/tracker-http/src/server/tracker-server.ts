import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { encode, type Encodable } from '@gtorr/bencode';
import { unmapIPv4 } from '../internal/ip.js';
import { parseQuery, readAnnounceQuery, readScrapeQuery, RefusedRequest } from './query.js';
import { SwarmStore, type SwarmCounts, type SwarmPeer } from './swarm-store.js';

export interface TrackerServerOptions {
  /** Seconds between announces the tracker asks for. Default 1800. */
  readonly interval?: number;
  /** Seconds a client must at least wait (`min interval`). Default: half of `interval`. */
  readonly minInterval?: number;
  /** Seconds after its last announce that a silent peer is dropped. Default: 2 x `interval` + 60. */
  readonly peerTtl?: number;
  /** Peers sent when the client does not say `numwant`. Default 50. */
  readonly defaultNumwant?: number;
  /** The most peers sent whatever `numwant` says. Default 200. */
  readonly maxNumwant?: number;
  /** Default 10,000. */
  readonly maxSwarms?: number;
  /** Default 10,000. */
  readonly maxPeersPerSwarm?: number;
  /** Info hashes per scrape. Default 100. */
  readonly maxScrapeHashes?: number;
  /** Only swarms this accepts are served (a whitelist). Default: every info hash. */
  readonly allowInfoHash?: (infoHash: Uint8Array) => boolean;
  /** Believe the `ip` parameter instead of the connection's address. Default `false`: anyone could otherwise point a swarm at a third party. */
  readonly trustIpParameter?: boolean;
  /** Clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Uniform in [0, 1), for peer sampling. Default `Math.random`. */
  readonly random?: () => number;
}

export interface TrackerServerStartOptions {
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default `127.0.0.1`: serving beyond this machine is a choice to make on purpose. */
  readonly host?: string;
}

export interface TrackerServerAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/announce`. */
  readonly announceUrl: string;
}

/** A swarm as the tracker sees it. */
export interface TrackerSwarm extends SwarmCounts {
  readonly peers: readonly SwarmPeer[];
}

/** An embeddable HTTP tracker: in-memory swarms, announce and scrape. */
export interface TrackerServer {
  /** Listens; resolves with the address once it does. */
  start(options?: TrackerServerStartOptions): Promise<TrackerServerAddress>;
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
  /** The address while started. */
  readonly address: TrackerServerAddress | undefined;
  /** The swarm of `infoHash` right now (empty for an unknown one). */
  swarm(infoHash: Uint8Array): TrackerSwarm;
  /** The request handler, to mount the tracker in a server of your own (paths `/announce` and `/scrape`). */
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** The swarms in memory, to share with a tracker of another kind (a UDP tracker serving the same swarms). */
  readonly swarms: SwarmStore;
  /** The settings in force (seconds), for a tracker of another kind to announce alike. */
  readonly interval: number;
}

// BEP 3 clients send a query of well under 1 KiB; 64 parameters and 4 KiB leave room for
// private-tracker extras and stop a client from making the parser work for nothing.
const MAX_URL_LENGTH = 4096;
const MAX_PARAMETERS = 64;

function whole(value: number | undefined, fallback: number, name: string, min = 0): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${name} must be an integer of at least ${min}`);
  return n;
}

/** Creates an embeddable HTTP tracker. Nothing listens until `start()`. */
export function createTrackerServer(options: TrackerServerOptions = {}): TrackerServer {
  const interval = whole(options.interval, 1800, 'interval', 1);
  const minInterval = whole(options.minInterval, Math.max(1, Math.floor(interval / 2)), 'minInterval');
  const peerTtl = whole(options.peerTtl, interval * 2 + 60, 'peerTtl', 1);
  const defaultNumwant = whole(options.defaultNumwant, 50, 'defaultNumwant');
  const maxNumwant = whole(options.maxNumwant, 200, 'maxNumwant');
  const maxScrapeHashes = whole(options.maxScrapeHashes, 100, 'maxScrapeHashes', 1);
  const now = options.now ?? Date.now;
  const allow = options.allowInfoHash ?? (() => true);
  const store = new SwarmStore({
    peerTtlMs: peerTtl * 1000,
    maxSwarms: whole(options.maxSwarms, 10_000, 'maxSwarms', 1),
    maxPeersPerSwarm: whole(options.maxPeersPerSwarm, 10_000, 'maxPeersPerSwarm', 1),
    random: options.random ?? Math.random,
  });

  function reply(response: ServerResponse, status: number, body: Encodable | string): void {
    const bytes = typeof body === 'string' ? body : encode(body);
    response.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(bytes), 'cache-control': 'no-store' });
    response.end(bytes);
  }

  function announce(request: IncomingMessage, params: Map<string, Uint8Array[]>): Encodable {
    const query = readAnnounceQuery(params);
    if (!allow(query.infoHash)) throw new RefusedRequest('unregistered torrent');
    const socketHost = unmapIPv4(request.socket.remoteAddress ?? '');
    const host = options.trustIpParameter && query.ip !== undefined && isIP(query.ip) !== 0 ? unmapIPv4(query.ip) : socketHost;
    const family = isIP(host) === 6 ? 6 : 4;
    // An IPv6 announcer can reach both families; an IPv4 one, as far as we know, only IPv4.
    const families = new Set<4 | 6>(family === 6 ? [4, 6] : [4]);
    const numwant = Math.min(query.numwant ?? defaultNumwant, maxNumwant);
    const result = store.announce({ ...query, host, numwant }, now(), families);
    if (typeof result === 'string') throw new RefusedRequest(result);
    const body: Record<string, Encodable> = { interval, 'min interval': minInterval, complete: result.complete, incomplete: result.incomplete, downloaded: result.downloaded };
    if (query.compact) {
      body.peers = Buffer.concat(result.peers.filter((p) => p.family === 4).map((p) => p.compact));
      if (family === 6) body.peers6 = Buffer.concat(result.peers.filter((p) => p.family === 6).map((p) => p.compact));
    } else {
      body.peers = result.peers.map((p): Encodable => (query.noPeerId ? { ip: p.host, port: p.port } : { ip: p.host, port: p.port, 'peer id': p.peerId }));
    }
    return body;
  }

  function scrape(params: Map<string, Uint8Array[]>): Encodable {
    const files = new Map<Uint8Array, Encodable>();
    for (const infoHash of readScrapeQuery(params, maxScrapeHashes)) {
      if (!allow(infoHash)) continue;
      const c = store.counts(infoHash, now());
      files.set(infoHash, { complete: c.complete, incomplete: c.incomplete, downloaded: c.downloaded });
    }
    return { files, flags: { min_request_interval: minInterval } };
  }

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    if (request.method !== 'GET' || (path !== '/announce' && path !== '/scrape')) {
      reply(response, 404, 'not found: this tracker serves GET /announce and /scrape\n');
      return;
    }
    try {
      // Refusals go out as status 200 with a `failure reason`: BEP 3 clients (libtorrent
      // among them) only read the reason from a 200 response.
      if (url.length > MAX_URL_LENGTH) throw new RefusedRequest('request URL too long');
      const params = parseQuery(q >= 0 ? url.slice(q + 1) : '', MAX_PARAMETERS);
      reply(response, 200, path === '/announce' ? announce(request, params) : scrape(params));
    } catch (error) {
      // A bug met by one request must not take down the process that embeds the tracker.
      if (error instanceof RefusedRequest) reply(response, 200, { 'failure reason': error.message });
      else reply(response, 500, 'internal error\n');
    }
  };

  let server: Server | undefined;
  let address: TrackerServerAddress | undefined;
  let sweep: NodeJS.Timeout | undefined;

  return {
    handler,
    swarms: store,
    interval,
    get address() {
      return address;
    },
    swarm(infoHash) {
      const t = now();
      return { ...store.counts(infoHash, t), peers: store.peers(infoHash, t) };
    },
    async start(startOptions = {}) {
      if (server !== undefined) throw new Error('tracker server already started');
      const host = startOptions.host ?? '127.0.0.1';
      const listening = createServer({ maxHeaderSize: 8192 }, handler);
      // A client that connects and says nothing must not hold a socket for long.
      listening.headersTimeout = 10_000;
      listening.requestTimeout = 15_000;
      server = listening;
      try {
        await new Promise<void>((resolve, reject) => {
          listening.once('error', reject);
          listening.listen(startOptions.port ?? 0, host, () => {
            listening.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        server = undefined;
        throw error;
      }
      const bound = listening.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : (startOptions.port ?? 0);
      const urlHost = isIP(host) === 6 ? `[${host}]` : host;
      address = { host, port, announceUrl: `http://${urlHost}:${port}/announce` };
      // Lazy expiry covers swarms that are asked about; this sweep covers the rest.
      sweep = setInterval(() => store.expire(now()), Math.min(peerTtl, 300) * 1000);
      sweep.unref();
      return address;
    },
    async stop() {
      const closing = server;
      server = undefined;
      address = undefined;
      if (sweep !== undefined) clearInterval(sweep);
      sweep = undefined;
      if (closing === undefined) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
