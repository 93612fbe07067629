import { EventEmitter } from 'node:events';
import { toHex, type InfoHashes, type MagnetLink, type Metainfo } from '@gtorr/metainfo';
import { FileStorage, ResumeSaver, ResumeStore, type Storage } from '@gtorr/storage';
import type { PeerConnection } from '@gtorr/wire';
import type { Announcer } from '../announce/announcer.js';
import { Choker } from '../choker/choker.js';
import { PieceBuffers } from '../download/piece-buffers.js';
import { PieceWriter } from '../download/piece-writer.js';
import { ClientError, ClientErrorCode } from '../errors.js';
import { errorMessage } from '../internal/error-message.js';
import type { MetadataAssembler } from '../metadata/metadata-assembler.js';
import type { PieceLayerFetcher } from '../metadata/piece-layer-fetcher.js';
import { PeerBook } from '../peers/peer-book.js';
import { formatPeerAddress, parsePeerAddress } from '../peers/peer-address.js';
import { PiecePicker } from '../picker/piece-picker.js';
import { RateMeter } from '../rate/rate-meter.js';
import { TokenBucket } from '../rate/token-bucket.js';
import { ReadCache } from '../upload/read-cache.js';
import { Uploader } from '../upload/uploader.js';
import { makeAnnouncer } from './announcing.js';
import { Dialing } from './dialing.js';
import { DoneWaiters } from './done-waiters.js';
import { MetadataPhase } from './metadata-phase.js';
import { checkStoredData, resumePathOf, toStorageBitfield } from './stored-data.js';
import type { TorrentContext } from './torrent-context.js';
import type { PeerInfo, TorrentEvents } from './torrent-events.js';
import type { TorrentOptions, TorrentState } from './torrent-options.js';
import { torrentProgress, type TorrentProgress } from './torrent-progress.js';
import type { Peer } from './peer.js';
import { PeerWiring } from './peer-wiring.js';

/** What a torrent is added from. */
export type TorrentSource = { readonly metainfo: Metainfo } | { readonly magnet: MagnetLink };

const TICK_MS = 1000;

/**
 * One torrent in a session: its metainfo (fetched from peers for a magnet link), storage,
 * pieces, peers and trackers. Wires the engine's parts together (picker, request queues,
 * choker, peer book, announcer, uploader) and reports through typed events and
 * `progress()`. Made by `Session.add`; stopped by `stop()`.
 */
export class Torrent extends EventEmitter<TorrentEvents> {
  readonly infoHash: InfoHashes;
  readonly options: TorrentOptions;
  /** @internal */ readonly context: TorrentContext;
  /** @internal */ readonly book: PeerBook;
  /** @internal */ readonly peerMap = new Map<string, Peer>();
  /** @internal */ readonly uploadBucket: TokenBucket;
  /** @internal */ readonly downloadBucket: TokenBucket;
  /** @internal */ readonly uploader: Uploader;
  /** @internal */ readonly wiring: PeerWiring;
  /** @internal A magnet's metadata and (v2-only) piece layers, on their way from peers. */
  readonly metadataPhase: MetadataPhase;
  /** @internal */ picker: PiecePicker | undefined;
  /** @internal */ buffers: PieceBuffers | undefined;
  /** @internal */ writer: PieceWriter | undefined;
  /** @internal */ cache: ReadCache | undefined;
  /** @internal */ metadataAssembler: MetadataAssembler | undefined;
  /** @internal A v2-only magnet's piece layers, being fetched (BEP 52) once its info dictionary is here. */
  pieceLayerFetcher: PieceLayerFetcher | undefined;
  /** @internal */ readonly choker: Choker;
  /** @internal */ readonly downloadMeter = new RateMeter();
  /** @internal */ readonly uploadMeter = new RateMeter();
  readonly #name: string;
  readonly #dialing = new Dialing(this);
  readonly #trackers: string[][];
  #metainfo: Metainfo | undefined;
  #storage: Storage | undefined;
  #saver: ResumeSaver | undefined;
  #announcer: Announcer | undefined;
  #state: TorrentState = 'checking';
  #timer: NodeJS.Timeout | undefined;
  #missing = Number.POSITIVE_INFINITY;
  #uploaded = 0;
  #downloaded = 0;
  #failure: ClientError | undefined;
  #stopping: Promise<void> | undefined;
  readonly #doneWaiters = new DoneWaiters();

  /** @internal Made by `Session.add`. */
  constructor(source: TorrentSource, options: TorrentOptions, context: TorrentContext) {
    super();
    this.options = options;
    this.context = context;
    if ('metainfo' in source) {
      this.#metainfo = source.metainfo;
      this.infoHash = source.metainfo.infoHash;
      this.#name = source.metainfo.name;
      this.#trackers = [...source.metainfo.announce.map((tier) => [...tier]), ...(options.trackers ?? []).map((tier) => [...tier])];
    } else {
      this.infoHash = source.magnet.infoHash;
      this.#name = source.magnet.name ?? toHex(source.magnet.infoHash.v1 ?? source.magnet.infoHash.v2!);
      this.#trackers = [...source.magnet.trackers.map((url) => [url]), ...(options.trackers ?? []).map((tier) => [...tier])];
    }
    if (options.directory === undefined && options.storage === undefined) throw new TypeError('a torrent needs a directory or a storage');
    this.book = new PeerBook({ random: context.random, ourPeerId: toHex(context.peerId), ourAddresses: context.ourAddresses() });
    this.uploadBucket = new TokenBucket({ rate: options.uploadRateLimit || Number.POSITIVE_INFINITY, parent: context.uploadBucket });
    this.downloadBucket = new TokenBucket({ rate: options.downloadRateLimit || Number.POSITIVE_INFINITY, parent: context.downloadBucket });
    this.choker = new Choker({ random: context.random, ...(options.uploadSlots === undefined ? {} : { slots: options.uploadSlots }) });
    this.uploader = new Uploader({
      cache: () => this.cache,
      bucket: this.uploadBucket,
      now: context.now,
      onSent: (peer, bytes) => {
        const now = context.now();
        peer.uploaded.add(bytes, now);
        this.uploadMeter.add(bytes, now);
        this.#uploaded += bytes;
      },
      onReadError: (error, piece) => this.fail(new ClientError(ClientErrorCode.STORAGE_FAILED, `reading piece ${piece} failed: ${errorMessage(error)}`, { cause: error })),
    });
    this.metadataPhase = new MetadataPhase(this, (metainfo) => this.#start(metainfo));
    this.wiring = new PeerWiring(this);
    const peers = [...(options.peers ?? []), ...('magnet' in source ? source.magnet.peers : [])];
    for (const address of peers) this.addPeer(address);
  }

  get name(): string {
    return this.#metainfo?.name ?? this.metadataPhase.withoutLayers?.name ?? this.#name;
  }

  /** Undefined until a magnet link's metadata has arrived (for a v2-only torrent: and its piece layers). */
  get metainfo(): Metainfo | undefined {
    return this.#metainfo;
  }

  /** @internal The info dictionary's bytes, once here (before a v2-only magnet's piece layers are). */
  get infoBytes(): Uint8Array | undefined {
    return (this.#metainfo ?? this.metadataPhase.withoutLayers)?.infoBytes;
  }

  get state(): TorrentState {
    return this.#state;
  }

  /** The storage, once the metainfo is known and the torrent started. */
  get storage(): Storage | undefined {
    return this.#storage;
  }

  /** The hash peers name this torrent by: v1 when it has one, else v2 (truncated on the wire). */
  get wireInfoHash(): Uint8Array {
    return this.infoHash.v1 ?? this.infoHash.v2!;
  }

  /** Whether every wanted piece is verified. */
  get isComplete(): boolean {
    return this.#missing === 0;
  }

  /** @internal Whether `stop()` was called. */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** @internal Stopped or failed: nothing new is started. */
  get ended(): boolean {
    return this.#stopping !== undefined || this.#failure !== undefined;
  }

  /** @internal Payload bytes sent and received so far (what trackers call `uploaded` and `downloaded`). */
  get transferred(): { readonly uploaded: number; readonly downloaded: number } {
    return { uploaded: this.#uploaded, downloaded: this.#downloaded };
  }

  /** @internal Whether incoming peers may be handed to this torrent now. */
  get accepting(): boolean {
    // While checking too: such peers are told what we have once the check is done.
    const open = this.#state === 'metadata' || this.#state === 'checking' || this.#state === 'downloading' || this.#state === 'seeding';
    return open && this.#stopping === undefined && this.peerMap.size < this.maxConnections;
  }

  /** @internal */
  get maxConnections(): number {
    return this.options.maxConnections ?? 50;
  }

  progress(): TorrentProgress {
    return torrentProgress(this);
  }

  peers(): PeerInfo[] {
    const now = this.context.now();
    return [...this.peerMap.values()].map((peer) => peer.info(now));
  }

  /**
   * Dials `host:port` (now, or when a connection slot frees up). A known peer waiting out a
   * backoff after failed dials is dialled now too: adding it again by hand means "try now".
   * False when the address is not valid, banned or ours.
   */
  addPeer(address: string): boolean {
    const parsed = parsePeerAddress(address);
    if (parsed === undefined) return false;
    const result = this.book.add(parsed.host, parsed.port, 'manual');
    if (result === 'known') this.book.retryNow(formatPeerAddress(parsed));
    if (this.#timer !== undefined) this.dial();
    return result === 'added' || result === 'known';
  }

  /** Resolves once every wanted piece is verified and on disk; rejects if the torrent fails or stops first. */
  whenDone(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.isComplete && this.#state === 'seeding') return Promise.resolve();
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#state === 'stopped') return Promise.reject(new ClientError(ClientErrorCode.STOPPED, 'the torrent was stopped'));
    return this.#doneWaiters.wait(options.signal);
  }

  /** Stops: closes every connection, sends `stopped` to the trackers, saves resume data, closes the storage. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  // ---- life cycle ------------------------------------------------------------------

  /** @internal Called by the session once. */
  async start(): Promise<void> {
    try {
      if (this.#metainfo !== undefined) await this.#setup(this.#metainfo);
      else this.#setState('metadata');
      if (this.#stopping !== undefined) return;
      if (this.options.announce !== false && this.#trackers.length > 0) this.#announcer = makeAnnouncer(this, this.#trackers);
      this.#timer = setInterval(() => this.tick(), TICK_MS);
      this.tick();
    } catch (error) {
      this.fail(error instanceof ClientError ? error : new ClientError(ClientErrorCode.STORAGE_FAILED, `cannot start: ${errorMessage(error)}`, { cause: error }));
    }
  }

  #start(metainfo: Metainfo): void {
    this.#setup(metainfo).then(
      () => this.tick(),
      (error: unknown) => this.fail(error instanceof ClientError ? error : new ClientError(ClientErrorCode.STORAGE_FAILED, `cannot start: ${errorMessage(error)}`, { cause: error })),
    );
  }

  async #setup(metainfo: Metainfo): Promise<void> {
    this.#metainfo = metainfo;
    this.emit('metadata', metainfo);
    this.#setState('checking');
    const storage = this.options.storage?.(metainfo) ?? new FileStorage(metainfo, this.options.directory!, { hashPool: this.context.hashPool() });
    this.#storage = storage;
    const picker = new PiecePicker({ pieceLength: metainfo.pieceLength, totalLength: metainfo.length, random: this.context.random });
    if (this.options.filePriorities !== undefined) {
      const priorities = metainfo.files.map((file, i) => (file.padding ? 0 : (this.options.filePriorities![i] ?? 4)));
      picker.setFilePriorities(metainfo.files, priorities);
    }
    const sequential = this.options.sequential;
    if (sequential !== undefined && sequential !== false) picker.setSequential(sequential === true ? {} : sequential);
    const { verified, reason } = await checkStoredData(storage, { resumePath: resumePathOf(this.options, this.wireInfoHash), pool: this.context.hashPool(), check: this.options.check !== false });
    if (this.#stopping !== undefined) return;
    for (let piece = 0; piece < metainfo.pieceCount; piece++) if (verified.get(piece)) picker.pieceVerified(piece);
    const lengthOf = (piece: number): number => picker.pieceLengthOf(piece);
    this.picker = picker;
    this.buffers = new PieceBuffers(lengthOf, metainfo.pieceLength);
    this.cache = new ReadCache(storage, lengthOf);
    this.writer = new PieceWriter({
      metainfo,
      storage,
      hashPool: this.context.hashPool(),
      onVerified: (piece, data) => this.#pieceVerified(piece, data),
      onFailed: (piece, data) => this.wiring.pieceFailed(piece, data),
      onError: (error, piece) => this.fail(new ClientError(ClientErrorCode.STORAGE_FAILED, `writing piece ${piece} failed: ${errorMessage(error)}`, { cause: error })),
    });
    const { piecesWanted, piecesDone } = picker.progress();
    this.#missing = piecesWanted - piecesDone;
    const resumePath = resumePathOf(this.options, this.wireInfoHash);
    if (resumePath !== undefined) {
      this.#saver = new ResumeSaver({
        store: new ResumeStore(resumePath),
        storage,
        verified: () => toStorageBitfield(picker.bitfield()),
        onError: (error) => this.emit('warning', new ClientError(ClientErrorCode.STORAGE_FAILED, `saving resume data failed: ${errorMessage(error)}`, { cause: error })),
      });
      this.#saver.start();
    }
    this.emit('check:done', { verified: picker.bitfield().count, pieceCount: metainfo.pieceCount, reason });
    this.wiring.ready();
    if (this.#missing === 0) await this.#complete(false);
    else this.#setState('downloading');
  }

  #pieceVerified(piece: number, data: Uint8Array): void {
    const picker = this.picker!;
    const wanted = picker.wants(piece);
    picker.pieceVerified(piece);
    this.wiring.pieceVerified(piece, data);
    this.buffers?.release(data);
    if (!this.wiring.downloading.writeBacklogFull) this.wiring.downloading.fillAll();
    this.#saver?.markChanged();
    if (wanted) this.#missing--;
    this.emit('piece:verified', piece);
    if (this.#missing === 0) void this.#complete(true);
  }

  async #complete(downloaded: boolean): Promise<void> {
    if (downloaded) {
      try {
        await this.writer?.idle();
        await this.#storage?.flush();
        await this.#saver?.saveNow();
      } catch (error) {
        this.fail(new ClientError(ClientErrorCode.STORAGE_FAILED, `flushing the data failed: ${errorMessage(error)}`, { cause: error }));
        return;
      }
      this.#announcer?.completed();
    }
    if (this.#stopping !== undefined) return;
    this.#setState('seeding');
    this.wiring.completed();
    this.emit('done');
    this.#doneWaiters.resolveAll();
  }

  /** @internal The torrent cannot go on. */
  fail(error: ClientError): void {
    if (this.#failure !== undefined || this.#stopping !== undefined) return;
    this.#failure = error;
    this.#setState('failed');
    this.#doneWaiters.rejectAll(error);
    this.emit('error', error);
    void this.#shutdown();
  }

  async #stop(): Promise<void> {
    if (this.#state !== 'failed') this.#setState('stopped');
    this.#doneWaiters.rejectAll(new ClientError(ClientErrorCode.STOPPED, 'the torrent was stopped'));
    await this.#shutdown();
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.pieceLayerFetcher = undefined;
    this.#dialing.destroyAll();
    for (const peer of this.peerMap.values()) peer.connection.destroy();
    const announcing = this.#announcer?.stop();
    this.writer?.close();
    this.buffers?.clear();
    try {
      await this.#saver?.stop();
    } catch (error) {
      this.emit('warning', new ClientError(ClientErrorCode.STORAGE_FAILED, `saving resume data failed: ${errorMessage(error)}`, { cause: error }));
    }
    await Promise.allSettled([announcing, this.#storage?.close()]);
    this.cache?.clear();
  }

  #setState(state: TorrentState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state:change', state);
  }

  // ---- the clock -------------------------------------------------------------------

  /** @internal Once a second: announces, dials, rechokes, times out requests, sends PEX. */
  tick(): void {
    if (this.ended) return;
    this.#announcer?.tick();
    this.wiring.tick(this.context.now());
    this.dial();
  }

  /** @internal Dials peers from the book while there is room. */
  dial(): void {
    this.#dialing.dial();
  }

  /** @internal An incoming connection for this torrent, its handshake done. */
  acceptIncoming(connection: PeerConnection, host: string, port: number): void {
    const address = formatPeerAddress({ host, port });
    const added = this.book.add(host, port, 'incoming');
    if (added !== 'added' && added !== 'known') {
      connection.destroy();
      return;
    }
    this.wiring.attach(connection, address, host);
  }

  /** @internal Peers learnt from a tracker or PEX. */
  learnPeers(peers: readonly { host: string; port: number }[], source: 'tracker' | 'pex'): void {
    for (const peer of peers) this.book.add(peer.host, peer.port, source);
    this.dial();
  }

  /** @internal Counts payload bytes received (verified or not: what the tracker calls `downloaded`). */
  countDownloaded(bytes: number): void {
    this.#downloaded += bytes;
  }
}
