import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { decodeExtendedHandshake, encodeExtendedHandshake, EXTENDED_HANDSHAKE_ID, type ExtendedHandshake } from './codec/bep-0010-extension-handshake.js';
import { encodeHandshake, readReserved, reservedBytes, type Handshake, type HandshakeFeatures } from './codec/handshake.js';
import { MessageDecoder } from './codec/message-decoder.js';
import { encodeWith, pieceHeaderWith, type Allocate, type ExtendedMessage, type WireMessage, type WireMessageType } from './codec/messages.js';
import { generatePeerId } from './codec/peer-id.js';
import type { ConnectOptions, IncomingOptions, OutgoingOptions, PeerConnectionEvents, PeerConnectionOptions } from './connection-options.js';
import { WireError, WireErrorCode, withPeer } from './errors.js';
import { checkBytes, equalBytes, handshakeInfoHash, toHex } from './internal/bytes.js';
import { Liveness } from './internal/liveness.js';
import { messageQueue } from './internal/message-queue.js';
import { SocketWriter } from './internal/socket-writer.js';

const KEEP_ALIVE_BYTES = Buffer.alloc(4);
// Sockets take Buffers as they are and wrap any other Uint8Array: encode straight into Buffers.
const allocateBuffer: Allocate = (length) => Buffer.allocUnsafe(length);
const DEFAULT_FEATURES: Partial<HandshakeFeatures> = { extended: true, fast: true };
const FAST_ONLY = new Set<WireMessageType>(['suggest', 'have-all', 'have-none', 'reject', 'allowed-fast']);

function acceptor(infoHashes: IncomingOptions['infoHashes']): (infoHash: Uint8Array) => boolean {
  if (typeof infoHashes === 'function') return infoHashes;
  const known = new Set<string>();
  for (const infoHash of infoHashes) known.add(toHex(handshakeInfoHash(infoHash)));
  return (infoHash) => known.has(toHex(infoHash));
}

function address(host: string | undefined, port: number | undefined): string {
  return host?.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * One peer wire connection over a TCP socket: the handshake (with a timeout and an info
 * hash check), BEP 10 extended handshakes, keep-alives, an idle timeout, choke and interest
 * state for both sides, and backpressure both ways.
 *
 * Messages arrive as typed events (`have`, `piece`, ...; `message` for all). The first ones
 * are dispatched in the macrotask after `ready` resolves, so listeners attached right after
 * construction or right after `await peer.ready` see every message. To consume at your
 * own pace, `pause()` and `resume()`, or iterate `messages()`, which pauses the socket when
 * its queue is full. `send` and the message methods return `false` when the socket's write
 * buffer is full; wait for `drain` before sending more.
 *
 * A peer that breaks the protocol closes the connection with a `WireError`, never an
 * exception: listen to `close`. Piece blocks are views into received socket chunks.
 *
 * @example
 * const peer = PeerConnection.connect({ host: '127.0.0.1', port: 6881, infoHash });
 * peer.on('bitfield', ({ bitfield }) => peer.interested());
 * peer.on('unchoke', () => peer.request(0, 0, 16384));
 * peer.on('piece', ({ index, begin, block }) => store(index, begin, block));
 * peer.on('close', (error) => console.log('closed', error?.code));
 * await peer.ready;
 */
export class PeerConnection extends EventEmitter<PeerConnectionEvents> {
  /** Opens a TCP connection to `host:port` and starts the handshake. */
  static connect(options: ConnectOptions): PeerConnection {
    const socket = netConnect({ host: options.host, port: options.port, noDelay: true });
    try {
      return new PeerConnection(socket, options, address(options.host, options.port));
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /** Takes an accepted socket and waits for the peer's handshake. */
  static accept(socket: Socket, options: IncomingOptions): PeerConnection {
    return new PeerConnection(socket, options);
  }

  readonly direction: 'outgoing' | 'incoming';
  /** The remote peer as `host:port`. */
  readonly peer: string;
  /** Resolves with the remote handshake once both are done; rejects with the `WireError` that closed the connection first. */
  readonly ready: Promise<Handshake>;
  private readonly state = {
    amChoking: true,
    amInterested: false,
    peerChoking: true,
    peerInterested: false,
    infoHash: undefined as Uint8Array | undefined,
    remote: undefined as Handshake | undefined,
    remoteExtended: undefined as ExtendedHandshake | undefined,
    features: { extended: false, fast: false, dht: false, v2: false } as HandshakeFeatures,
  };

  /** We choke the peer (we will not serve its requests). Connections start choked. */
  get amChoking(): boolean {
    return this.state.amChoking;
  }

  /** We want pieces from the peer. */
  get amInterested(): boolean {
    return this.state.amInterested;
  }

  /** The peer chokes us. */
  get peerChoking(): boolean {
    return this.state.peerChoking;
  }

  /** The peer wants pieces from us. */
  get peerInterested(): boolean {
    return this.state.peerInterested;
  }

  /** The 20 info hash bytes of the handshake (for an incoming connection: once the peer named them). */
  get infoHash(): Uint8Array | undefined {
    return this.state.infoHash;
  }

  /** The peer's handshake. */
  get remote(): Handshake | undefined {
    return this.state.remote;
  }

  /** The peer's latest BEP 10 extended handshake. */
  get remoteExtended(): ExtendedHandshake | undefined {
    return this.state.remoteExtended;
  }

  /** Features both sides announced (none until the handshake is done). */
  get features(): HandshakeFeatures {
    return this.state.features;
  }

  private readonly socket: Socket;
  private readonly decoder: MessageDecoder;
  private readonly peerId: Uint8Array;
  private reserved: Uint8Array;
  private readonly options: PeerConnectionOptions;
  private readonly accepts: ((infoHash: Uint8Array) => boolean) | undefined;
  private readonly extensionNames = new Map<number, string>();
  private readonly liveness: Liveness;
  private readonly writer: SocketWriter;
  private resolveReady!: (handshake: Handshake) => void;
  private rejectReady!: (error: WireError) => void;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private done = false;
  private closed = false;
  private pumping = false;
  private holding = false;
  private userPaused = false;
  private queuePaused = false;
  private readonly onAbort = () => this.destroy(new WireError(WireErrorCode.ABORTED, 'connection aborted', { peer: this.peer, cause: this.options.signal?.reason }));

  constructor(socket: Socket, options: OutgoingOptions | IncomingOptions, peer?: string) {
    super();
    this.socket = socket;
    this.options = options;
    this.direction = 'infoHash' in options ? 'outgoing' : 'incoming';
    this.peer = peer ?? address(socket.remoteAddress, socket.remotePort);
    this.peerId = options.peerId ?? generatePeerId();
    checkBytes(this.peerId, 20, 'peerId');
    if ('upgradeInfoHash' in options && options.upgradeInfoHash !== undefined) checkBytes(options.upgradeInfoHash, 32, 'upgradeInfoHash');
    this.writer = new SocketWriter(socket, options.writeHighWaterMark ?? 256 * 1024, () => this.emit('drain'));
    this.reserved = reservedBytes(options.features ?? DEFAULT_FEATURES);
    this.decoder = new MessageDecoder({ handshake: true, maxMessageLength: options.maxMessageLength, maxBlockLength: options.maxBlockLength, pieceCount: options.pieceCount });
    for (const [name, id] of Object.entries(options.extensions ?? {})) if (id > 0) this.extensionNames.set(id, name);
    this.accepts = 'infoHashes' in options ? acceptor(options.infoHashes) : undefined;
    this.liveness = new Liveness(socket, {
      idleTimeout: options.idleTimeout ?? 180_000,
      keepAliveInterval: options.keepAliveInterval ?? 60_000,
      paused: () => this.userPaused || this.queuePaused,
      onIdle: (ms) => this.destroy(new WireError(WireErrorCode.IDLE_TIMEOUT, `nothing received for ${ms} ms`, { peer: this.peer })),
      onKeepAlive: () => this.write(KEEP_ALIVE_BYTES),
    });
    this.ready = new Promise<Handshake>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody has to await `ready`: its failure is also reported through `close`.
    this.ready.catch(() => undefined);

    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.pump();
    });
    socket.on('error', (error) => this.destroy(new WireError(WireErrorCode.SOCKET_ERROR, `socket error: ${error.message}`, { peer: this.peer, cause: error })));
    socket.on('close', () => this.destroy(new WireError(WireErrorCode.CLOSED, 'peer closed the connection', { peer: this.peer })));

    const timeout = options.handshakeTimeout ?? 10_000;
    this.handshakeTimer = setTimeout(() => this.destroy(new WireError(WireErrorCode.HANDSHAKE_TIMEOUT, `no handshake within ${timeout} ms`, { peer: this.peer })), timeout);
    this.handshakeTimer.unref();

    const signal = options.signal;
    if (signal?.aborted) process.nextTick(this.onAbort);
    else signal?.addEventListener('abort', this.onAbort, { once: true });

    if ('infoHash' in options) {
      this.state.infoHash = handshakeInfoHash(options.infoHash);
      this.writer.writeNow(encodeHandshake({ infoHash: this.state.infoHash, peerId: this.peerId, reserved: this.reserved }));
    }
  }

  /** True once the connection is closed (by either side, a timeout, an error or `destroy()`). */
  get destroyed(): boolean {
    return this.closed;
  }

  /** True after `send` returned false, until `drain`. */
  get writableNeedDrain(): boolean {
    return this.writer.needDrain;
  }

  /** True while incoming messages are held back by `pause()` or a full `messages()` queue. */
  get isPaused(): boolean {
    return this.userPaused || this.queuePaused;
  }

  /** Bytes received and sent on the socket so far. */
  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }

  /** Sets the piece count that bitfields are checked against (e.g. once a magnet's metadata arrived). */
  setPieceCount(pieceCount: number | undefined): void {
    this.decoder.setPieceCount(pieceCount);
  }

  /** Stops dispatching messages and reading from the socket until `resume()`. */
  pause(): void {
    this.userPaused = true;
    this.updateFlow();
  }

  resume(): void {
    this.userPaused = false;
    this.updateFlow();
  }

  /**
   * The messages after the handshake as an async iterable: a bounded queue that pauses the
   * socket at `highWaterMark` messages and resumes it at half that. It ends when the
   * connection closes normally (`destroy()` or the peer hanging up) and throws the
   * `WireError` that closed it otherwise.
   */
  messages(): AsyncIterableIterator<WireMessage> {
    const highWaterMark = this.options.highWaterMark ?? 64;
    return messageQueue(this, highWaterMark, (paused) => {
      this.queuePaused = paused;
      this.updateFlow();
    });
  }

  /** Sends one message. Returns `false` when the write buffer is full (wait for `drain`). */
  send(message: WireMessage): boolean {
    if (this.closed) return false;
    const type = message.type;
    if (type === 'piece') return this.piece(message.index, message.begin, message.block);
    if (type === 'choke' || type === 'unchoke') this.state.amChoking = type === 'choke';
    else if (type === 'interested' || type === 'not-interested') this.state.amInterested = type === 'interested';
    return this.write(encodeWith(message, allocateBuffer));
  }

  choke(): boolean {
    return this.send({ type: 'choke' });
  }

  unchoke(): boolean {
    return this.send({ type: 'unchoke' });
  }

  interested(): boolean {
    return this.send({ type: 'interested' });
  }

  notInterested(): boolean {
    return this.send({ type: 'not-interested' });
  }

  have(index: number): boolean {
    return this.send({ type: 'have', index });
  }

  bitfield(bitfield: Uint8Array): boolean {
    return this.send({ type: 'bitfield', bitfield });
  }

  request(index: number, begin: number, length: number): boolean {
    return this.send({ type: 'request', index, begin, length });
  }

  cancel(index: number, begin: number, length: number): boolean {
    return this.send({ type: 'cancel', index, begin, length });
  }

  reject(index: number, begin: number, length: number): boolean {
    return this.send({ type: 'reject', index, begin, length });
  }

  /** Sends a block without copying it: the header and `block` go out as one `writev`. Do not modify `block` until it is written. */
  piece(index: number, begin: number, block: Uint8Array): boolean {
    if (this.closed) return false;
    this.write(pieceHeaderWith(index, begin, block.length, allocateBuffer));
    return this.write(block);
  }

  /**
   * Sends a BEP 10 extended message to the peer's id for extension `name`. Throws
   * WIRE_UNSUPPORTED_EXTENSION when the peer's extended handshake did not announce it.
   */
  sendExtended(name: string, payload: Uint8Array): boolean {
    const id = this.remoteExtended?.m[name];
    if (id === undefined || id === 0) throw new WireError(WireErrorCode.UNSUPPORTED_EXTENSION, `peer does not support the ${name} extension`, { peer: this.peer });
    return this.send({ type: 'extended', id, payload });
  }

  /** Closes the connection; `close` is emitted once, with `error`. Safe to call more than once. */
  destroy(error?: WireError): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.discard();
    clearTimeout(this.handshakeTimer);
    this.liveness.stop();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    if (!this.done) this.rejectReady(error ?? new WireError(WireErrorCode.CLOSED, 'connection closed before the handshake', { peer: this.peer }));
    process.nextTick(() => this.emit('close', error));
  }

  private fail(error: unknown): void {
    if (error instanceof WireError) this.destroy(withPeer(error, this.peer));
    else throw error;
  }

  private updateFlow(): void {
    if (this.closed) return;
    if (this.isPaused) {
      this.socket.pause();
    } else {
      this.socket.resume();
      process.nextTick(() => this.pump());
    }
  }

  private write(bytes: Uint8Array): boolean {
    return this.closed ? false : this.writer.write(bytes);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && !this.isPaused && !this.holding) {
        let message;
        try {
          message = this.decoder.next();
        } catch (error) {
          this.fail(error);
          return;
        }
        if (message === undefined) return;
        if (message.type === 'handshake') this.onHandshake(message);
        else this.dispatch(message);
      }
    } finally {
      this.pumping = false;
    }
  }

  private onHandshake(remote: Handshake): void {
    if (this.accepts) {
      if (!this.accepts(remote.infoHash)) {
        this.destroy(new WireError(WireErrorCode.INFO_HASH_MISMATCH, `peer asked for info hash ${toHex(remote.infoHash)}, which we do not serve`, { peer: this.peer }));
        return;
      }
      this.state.infoHash = remote.infoHash;
      // The acceptor may have set `features` for the torrent the peer named (BEP 52's v2 bit
      // is per torrent): read them now, not when the socket was accepted.
      this.reserved = reservedBytes(this.options.features ?? DEFAULT_FEATURES);
      this.writer.writeNow(encodeHandshake({ infoHash: remote.infoHash, peerId: this.peerId, reserved: this.reserved }));
    } else if (this.upgradesTo(remote.infoHash)) {
      this.state.infoHash = remote.infoHash;
    } else if (!equalBytes(remote.infoHash, this.infoHash!)) {
      this.destroy(new WireError(WireErrorCode.INFO_HASH_MISMATCH, `peer answered with info hash ${toHex(remote.infoHash)}, not ${toHex(this.infoHash!)}`, { peer: this.peer }));
      return;
    }
    const ours = readReserved(this.reserved);
    const theirs = remote.features;
    this.state.features = { extended: ours.extended && theirs.extended, fast: ours.fast && theirs.fast, dht: ours.dht && theirs.dht, v2: ours.v2 && theirs.v2 };
    this.state.remote = remote;
    this.done = true;
    clearTimeout(this.handshakeTimer);
    // BEP 10: the extended handshake goes right after the BitTorrent handshake.
    if (this.features.extended) {
      const payload = encodeExtendedHandshake({ v: 'gtorr', ...this.options.extendedHandshake, m: this.options.extensions ?? {} });
      this.writer.writeNow(encodeWith({ type: 'extended', id: EXTENDED_HANDSHAKE_ID, payload }, allocateBuffer));
    }
    this.writer.release();
    this.liveness.start();
    // Messages that came with the handshake wait for the next macrotask: by then every
    // continuation of `await ready` has run, so listeners attached there miss nothing.
    this.holding = true;
    setImmediate(() => {
      this.holding = false;
      this.pump();
    });
    this.emit('handshake', remote);
    this.resolveReady(remote);
  }

  // BEP 52: a peer that answers our v1 handshake for a hybrid torrent (with the v2 bit) with
  // the torrent's v2 hash has upgraded the connection to v2.
  private upgradesTo(infoHash: Uint8Array): boolean {
    const upgrade = 'upgradeInfoHash' in this.options ? (this.options as OutgoingOptions).upgradeInfoHash : undefined;
    return upgrade !== undefined && readReserved(this.reserved).v2 && equalBytes(infoHash, handshakeInfoHash(upgrade));
  }

  private protocolError(code: WireErrorCode, message: string): void {
    this.destroy(new WireError(code, message, { peer: this.peer }));
  }

  private dispatch(message: WireMessage): void {
    const type = message.type;
    if (type === 'choke' || type === 'unchoke') this.state.peerChoking = type === 'choke';
    else if (type === 'interested' || type === 'not-interested') this.state.peerInterested = type === 'interested';
    else if (type === 'extended') return this.dispatchExtended(message);
    // BEP 6: "When the fast extension is disabled, if a peer receives [one of its messages] then the peer MUST close the connection".
    else if (FAST_ONLY.has(type) && !this.features.fast) return this.protocolError(WireErrorCode.UNEXPECTED_MESSAGE, `${type} message without the BEP 6 fast extension`);
    this.emit('message', message);
    (this as EventEmitter).emit(type, message);
  }

  private dispatchExtended(message: ExtendedMessage): void {
    if (!this.features.extended) return this.protocolError(WireErrorCode.UNEXPECTED_MESSAGE, 'extended message without the BEP 10 handshake bit');
    if (message.id !== EXTENDED_HANDSHAKE_ID) {
      this.emit('message', message);
      this.emit('extended', message, this.extensionNames.get(message.id));
      return;
    }
    let handshake: ExtendedHandshake;
    try {
      handshake = decodeExtendedHandshake(message.payload);
    } catch (error) {
      return this.fail(error);
    }
    this.state.remoteExtended = handshake;
    this.emit('message', message);
    this.emit('extended:handshake', handshake);
  }
}
