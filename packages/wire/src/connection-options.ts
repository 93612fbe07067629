import type { ExtendedHandshake } from './codec/bep-0010-extension-handshake.js';
import type { Handshake, HandshakeFeatures } from './codec/handshake.js';
import type { ExtendedMessage, WireMessage, WireMessageType } from './codec/messages.js';
import type { WireError } from './errors.js';

type MessageEvents = { [K in Exclude<WireMessageType, 'extended'>]: [message: Extract<WireMessage, { type: K }>] };

/** The events of a `PeerConnection`: one per message type, and the connection's own. */
export interface PeerConnectionEvents extends MessageEvents {
  /** Both handshakes are done; the argument is the remote one. */
  handshake: [handshake: Handshake];
  /** The peer's BEP 10 extended handshake (it may send more than one). */
  'extended:handshake': [handshake: ExtendedHandshake];
  /** An extended message other than the handshake; `name` is the local extension it was sent to. */
  extended: [message: ExtendedMessage, name: string | undefined];
  /** Every message after the handshake, before its own event. */
  message: [message: WireMessage];
  /** The socket's write buffer has drained after `send` returned false. */
  drain: [];
  /** The connection is closed: `undefined` after `destroy()`, else why. Emitted once. */
  close: [error: WireError | undefined];
}

export interface PeerConnectionOptions {
  /** Our 20-byte peer id. Default: `generatePeerId()`. */
  peerId?: Uint8Array;
  /** The features to announce in the handshake. Default: BEP 10 and BEP 6 on, DHT and v2 off. */
  features?: Partial<HandshakeFeatures>;
  /** Our BEP 10 extensions: name to the extended id we receive it on (`{ ut_metadata: 1 }`). */
  extensions?: Readonly<Record<string, number>>;
  /** More fields for our extended handshake. Default: `{ v: 'gtorr' }`. */
  extendedHandshake?: Omit<ExtendedHandshake, 'm' | 'raw'>;
  /** The torrent's piece count, when known: bitfields are checked against it. */
  pieceCount?: number;
  /** The largest message accepted, in bytes. Default 1 MiB. */
  maxMessageLength?: number;
  /** The largest block accepted in a piece message. Default 16 KiB. */
  maxBlockLength?: number;
  /** Milliseconds for the connection and both handshakes. Default 10,000. */
  handshakeTimeout?: number;
  /** Close after this many milliseconds with nothing received (not counting time paused). 0: never. Default 180,000. */
  idleTimeout?: number;
  /**
   * Send a keep-alive after this many milliseconds with nothing sent. 0: never. Default
   * 60,000: BEP 3 says "generally once every two minutes", but libtorrent drops a peer that
   * is silent for its `peer_timeout` of 120 s, so we speak well before that.
   */
  keepAliveInterval?: number;
  /**
   * Bytes queued on the socket beyond which `send` returns false (then wait for `drain`);
   * never less than the socket's own high-water mark. Default 256 KiB: sixteen 16 KiB blocks in flight make one writev instead of sixteen
   * writes, where the socket's own 16 KiB mark would stop the sender after every block
   * (libtorrent's `send_buffer_watermark` is 500 KiB for the same reason).
   */
  writeHighWaterMark?: number;
  /** How many messages `messages()` queues before it pauses the socket. Default 64. */
  highWaterMark?: number;
  /** Closes the connection (WIRE_ABORTED) when aborted. */
  signal?: AbortSignal;
}

/** An outgoing connection: we name the torrent and speak first. */
export interface OutgoingOptions extends PeerConnectionOptions {
  /** 20 bytes (v1) or 32 bytes (v2, sent truncated as BEP 52 says). */
  infoHash: Uint8Array;
  /**
   * BEP 52, a hybrid torrent: its v2 info hash (32 bytes) when `infoHash` is its v1 one and
   * `features.v2` is announced. A peer that answers with the v2 hash (truncated) upgrades the
   * connection to v2, as libtorrent does; `infoHash` then reads the truncated v2 hash.
   */
  upgradeInfoHash?: Uint8Array;
}

/** An incoming connection: the peer names the torrent, and we answer if we serve it. */
export interface IncomingOptions extends PeerConnectionOptions {
  /**
   * The info hashes we serve (20 or 32 bytes each), or a function that says whether we do.
   * The function runs before our handshake is written and may set `features` and
   * `extendedHandshake` on these options for the torrent the peer named.
   */
  infoHashes: Iterable<Uint8Array> | ((infoHash: Uint8Array) => boolean);
}

export interface ConnectOptions extends OutgoingOptions {
  host: string;
  port: number;
}
