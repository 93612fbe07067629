import { createServer, type Server, type Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseMagnet, toHex, type MagnetLink, type Metainfo } from '@gtorr/metainfo';
import { HashPool } from '@gtorr/storage';
import { HttpTrackerClient } from '@gtorr/tracker-http';
import { UdpTrackerClient } from '@gtorr/tracker-udp';
import { generatePeerId, PeerConnection, UT_METADATA, UT_PEX, type ExtendedHandshake, type IncomingOptions, type PeerConnectionOptions } from '@gtorr/wire';
import { ClientError, ClientErrorCode } from '../errors.js';
import { silentLogger } from '../logger.js';
import { formatPeerAddress, normalizeHost } from '../peers/peer-address.js';
import { TokenBucket } from '../rate/token-bucket.js';
import type { TorrentContext } from '../torrent/torrent-context.js';
import type { TorrentOptions } from '../torrent/torrent-options.js';
import { Torrent, type TorrentSource } from '../torrent/torrent.js';
import { UPLOAD_QUEUE_LIMIT } from '../upload/uploader.js';
import type { SessionOptions } from './session-options.js';

// Our BEP 10 extension ids, the same on every connection (they are chosen before an incoming
// peer says which torrent it wants).
const EXTENSIONS = { [UT_METADATA]: 1, [UT_PEX]: 2 } as const;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * A BitTorrent session: one peer id, one listening socket, many torrents, and the limits
 * they share (connections, upload and download rates, hashing workers).
 *
 * @example
 * ```ts
 * const session = new Session({ port: 0 });
 * await session.start();
 * const torrent = session.add(parseTorrent(bytes), { directory: 'downloads' });
 * torrent.on('error', (error) => console.error(error.message));
 * await torrent.whenDone();
 * await session.close();
 * ```
 */
export class Session {
  readonly peerId: Uint8Array;
  readonly #options: SessionOptions;
  readonly #torrents = new Map<string, Torrent>();
  readonly #connections = new Set<PeerConnection>();
  readonly #context: TorrentContext;
  readonly #ownPool: boolean;
  #server: Server | undefined;
  #port = 0;
  #pool: HashPool | undefined;
  #http: HttpTrackerClient | undefined;
  #udp: UdpTrackerClient | undefined;
  #closed = false;

  constructor(options: SessionOptions = {}) {
    this.#options = options;
    this.peerId = options.peerId ?? generatePeerId();
    this.#ownPool = options.hashPool === undefined;
    this.#pool = options.hashPool;
    const now = options.now ?? (() => performance.now());
    const maxConnections = options.maxConnections ?? 200;
    this.#context = {
      peerId: this.peerId,
      clientName: options.clientName ?? 'gtorr',
      logger: options.logger ?? silentLogger,
      now,
      random: options.random ?? Math.random,
      announceIp: options.announceIp,
      uploadBucket: new TokenBucket({ rate: options.uploadRateLimit || Number.POSITIVE_INFINITY }),
      downloadBucket: new TokenBucket({ rate: options.downloadRateLimit || Number.POSITIVE_INFINITY }),
      listenPort: () => this.#port,
      ourAddresses: () => this.#ourAddresses(),
      hashPool: () => this.#hashPool(),
      httpTracker: () => (this.#http ??= options.httpTracker ?? new HttpTrackerClient()),
      udpTracker: () => (this.#udp ??= options.udpTracker ?? new UdpTrackerClient()),
      connectionRoom: () => maxConnections - this.#connections.size,
      connect: (torrent, host, port) => this.#track(PeerConnection.connect({ host, port, ...this.#dialHashes(torrent), ...this.#handshakeOptions(torrent) })),
    };
  }

  /** The port peers can reach us on (0 until `start()` resolves, or when not listening). */
  get port(): number {
    return this.#port;
  }

  get torrents(): readonly Torrent[] {
    return [...new Set(this.#torrents.values())];
  }

  /** Opens the listening socket (unless `listen: false`). */
  async start(): Promise<{ port: number }> {
    if (this.#closed) throw new ClientError(ClientErrorCode.STOPPED, 'the session is closed');
    if (this.#options.listen === false || this.#server !== undefined) return { port: this.#port };
    const server = createServer((socket) => this.#incoming(socket));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new ClientError(ClientErrorCode.LISTEN_FAILED, `cannot listen on port ${this.#options.port ?? 6881}: ${error.message}`, { cause: error })));
      server.listen({ port: this.#options.port ?? 6881, ...(this.#options.host === undefined ? {} : { host: this.#options.host }) }, resolve);
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : 0;
    return { port: this.#port };
  }

  /**
   * Adds a torrent and starts it: a parsed .torrent (`Metainfo`), a parsed magnet link, or a
   * magnet URI. Throws `CLIENT_DUPLICATE_TORRENT` if the session has it already.
   */
  add(source: Metainfo | MagnetLink | string, options: TorrentOptions): Torrent {
    if (this.#closed) throw new ClientError(ClientErrorCode.STOPPED, 'the session is closed');
    const from: TorrentSource = typeof source === 'string' ? { magnet: parseMagnet(source) } : 'infoBytes' in source ? { metainfo: source } : { magnet: source };
    const hashes = 'metainfo' in from ? from.metainfo.infoHash : from.magnet.infoHash;
    const keys = [hashes.v1, hashes.v2].filter((h): h is Uint8Array => h !== null).map((h) => toHex(h.subarray(0, 20)));
    if (keys.some((key) => this.#torrents.has(key))) throw new ClientError(ClientErrorCode.DUPLICATE_TORRENT, `the session already has torrent ${keys[0]}`);
    const torrent = new Torrent(from, options, this.#context);
    for (const key of keys) this.#torrents.set(key, torrent);
    torrent.on('state:change', (state) => {
      if (state === 'stopped') for (const key of keys) if (this.#torrents.get(key) === torrent) this.#torrents.delete(key);
    });
    // Started on the next turn, so that listeners attached right after `add` hear every event.
    setImmediate(() => void torrent.start());
    return torrent;
  }

  /** Stops every torrent (trackers told, resume data saved), then closes the socket and the workers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled(this.torrents.map((torrent) => torrent.stop()));
    for (const connection of this.#connections) connection.destroy();
    const server = this.#server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.#ownPool) await this.#pool?.close();
    await this.#udp?.close();
  }

  #hashPool(): HashPool {
    this.#pool ??= new HashPool({ size: Math.min(2, availableParallelism()) });
    return this.#pool;
  }

  #ourAddresses(): string[] {
    if (this.#port === 0) return [];
    const hosts = ['127.0.0.1', '::1', ...(this.#options.host === undefined ? [] : [this.#options.host])];
    return hosts.map((host) => formatPeerAddress({ host, port: this.#port }));
  }

  // A hybrid torrent is dialled by its v1 hash with the v2 bit: a peer may answer with the
  // v2 hash, upgrading the connection (BEP 52; libtorrent does).
  #dialHashes(torrent: Torrent): { infoHash: Uint8Array; upgradeInfoHash?: Uint8Array } {
    const { v1, v2 } = torrent.infoHash;
    return v1 !== null && v2 !== null ? { infoHash: v1, upgradeInfoHash: v2 } : { infoHash: torrent.wireInfoHash };
  }

  #handshakeOptions(torrent: Torrent): PeerConnectionOptions {
    const metainfo = torrent.metainfo;
    const pex = torrent.options.pex !== false && metainfo?.private !== true;
    const extendedHandshake: Omit<ExtendedHandshake, 'm' | 'raw'> = {
      v: this.#context.clientName,
      reqq: UPLOAD_QUEUE_LIMIT,
      ...(this.#port > 0 ? { p: this.#port } : {}),
      ...(torrent.infoBytes === undefined ? {} : { metadataSize: torrent.infoBytes.length }),
    };
    return {
      peerId: this.peerId,
      // BEP 52: the v2 bit for a torrent with a v2 info hash. Never for a v1-only one:
      // libtorrent drops a peer that sets it for a torrent with no v2 hash.
      features: { extended: true, fast: true, v2: torrent.infoHash.v2 !== null },
      extensions: pex ? EXTENSIONS : { [UT_METADATA]: EXTENSIONS[UT_METADATA] },
      extendedHandshake,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      ...(metainfo === undefined ? {} : { pieceCount: metainfo.pieceCount }),
    };
  }

  #incoming(socket: Socket): void {
    const host = normalizeHost(socket.remoteAddress ?? '');
    const port = socket.remotePort;
    if (this.#closed || host === undefined || port === undefined || this.#context.connectionRoom() <= 0) {
      socket.destroy();
      return;
    }
    let target: Torrent | undefined;
    // The acceptor runs when the peer's handshake names a torrent, before ours is written:
    // the extended handshake sent right after can then describe that torrent.
    const options: IncomingOptions = {
      peerId: this.peerId,
      extensions: EXTENSIONS,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      infoHashes: (infoHash) => {
        const torrent = this.#torrents.get(toHex(infoHash.subarray(0, 20)));
        if (torrent === undefined || !torrent.accepting) return false;
        target = torrent;
        Object.assign(options, this.#handshakeOptions(torrent));
        return true;
      },
    };
    const connection = this.#track(PeerConnection.accept(socket, options));
    connection.ready.then(
      () => {
        if (target === undefined || this.#closed) connection.destroy();
        else target.acceptIncoming(connection, host, port);
      },
      () => undefined,
    );
  }

  #track(connection: PeerConnection): PeerConnection {
    this.#connections.add(connection);
    connection.once('close', () => this.#connections.delete(connection));
    return connection;
  }
}
