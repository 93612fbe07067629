import { WireError, WireErrorCode } from '../errors.js';
import { readUint32 } from '../internal/bytes.js';
import { checkProtocolPrefix, decodeHandshake, HANDSHAKE_LENGTH, PROTOCOL, type Handshake } from './handshake.js';
import { CHOKE, HAVE_ALL, HAVE_NONE, INTERESTED, KEEP_ALIVE, MessageId, NOT_INTERESTED, UNCHOKE, type BlockRange, type HashRange, type WireMessage } from './messages.js';

/**
 * The largest message accepted by default: 1 MiB. It bounds what one peer can make us
 * buffer. Real messages stay far below: a piece is 16 KiB + 13, a bitfield of 1 MiB covers
 * 8 million pieces, BEP 9 metadata travels in 16 KiB pieces.
 */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

/**
 * The largest block accepted in a `piece` message by default: 16 KiB. BEP 3: "All current
 * implementations use 2^14 (16 kiB), and close connections which request an amount greater".
 */
export const DEFAULT_MAX_BLOCK_LENGTH = 1 << 14;

export interface MessageDecoderOptions {
  /** Expect a 68-byte handshake before the first message. Default `false`. */
  handshake?: boolean;
  /** The largest length prefix accepted, checked before anything is allocated. Default 1 MiB. */
  maxMessageLength?: number;
  /** The largest block accepted in a `piece` message. Default 16 KiB. */
  maxBlockLength?: number;
  /**
   * The torrent's piece count, when known: a bitfield must then have exactly
   * `ceil(pieceCount / 8)` bytes and zero spare bits. Can be set later (`setPieceCount`).
   */
  pieceCount?: number;
}

/** What the decoder yields: the handshake (when expected), then messages. */
export type DecodedMessage = WireMessage | Handshake;

// Ids whose messages have a fixed size and no byte fields: when they straddle chunks they are
// read through a reused scratch buffer, since nothing returned keeps a view into it.
const SCRATCH_IDS = new Set<number>([0, 1, 2, 3, 4, 6, 8, 9, 13, 14, 15, 16, 17]);
const SCRATCH_SIZE = 64;

function checkLimit(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`wire: ${what} must be an integer in [0, 2^32)`);
  return value;
}

/**
 * A push decoder for the peer wire stream: feed it chunks as they arrive, of any size (one
 * byte or megabytes), and pull whole messages out.
 *
 * Limits are checked on a message's 5-byte header, before its body is buffered or anything
 * is allocated for it. The first bad message throws a `WireError` (with `offset`, the byte
 * offset in the stream) and every later call throws it again.
 *
 * Ownership: the decoder keeps references to pushed chunks until their bytes are consumed
 * and never modifies them; do not modify a chunk after pushing it. Byte fields of returned
 * messages (a piece's `block`, a bitfield, an extended payload) are views into the pushed
 * chunk when the whole message sat in one chunk, and into one copy otherwise (carved from a
 * 64 KiB slab of the decoder's own). A kept view keeps its chunk or slab alive.
 *
 * @example
 * const decoder = new MessageDecoder({ handshake: true });
 * socket.on('data', (chunk) => {
 *   decoder.push(chunk);
 *   for (const message of decoder) handle(message);
 * });
 */
export class MessageDecoder implements Iterable<DecodedMessage> {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private headOffset = 0;
  private bufferedBytes = 0;
  private consumed = 0;
  private expectHandshake: boolean;
  private failure: WireError | undefined;
  private pieces: number | undefined;
  private readonly scratch = new Uint8Array(SCRATCH_SIZE);
  private slab = new Uint8Array(0);
  private slabUsed = 0;
  private readonly maxMessageLength: number;
  private readonly maxBlockLength: number;

  constructor(options: MessageDecoderOptions = {}) {
    this.expectHandshake = options.handshake ?? false;
    this.maxMessageLength = checkLimit(options.maxMessageLength, DEFAULT_MAX_MESSAGE_LENGTH, 'maxMessageLength');
    this.maxBlockLength = checkLimit(options.maxBlockLength, DEFAULT_MAX_BLOCK_LENGTH, 'maxBlockLength');
    this.setPieceCount(options.pieceCount);
  }

  /** Bytes pushed and not yet consumed by a returned message. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /** Bytes consumed so far: the stream offset of the next message. */
  get offset(): number {
    return this.consumed;
  }

  /** Sets (or clears) the piece count that bitfields are checked against. */
  setPieceCount(pieceCount: number | undefined): void {
    if (pieceCount !== undefined) checkLimit(pieceCount, 0, 'pieceCount');
    this.pieces = pieceCount;
  }

  /** Adds received bytes. Throws the decoder's earlier error, if it failed. */
  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (!(chunk instanceof Uint8Array)) throw new TypeError('wire: MessageDecoder.push() takes a Uint8Array');
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  /** The next whole message, or `undefined` until more bytes arrive. Throws `WireError` on bad input. */
  next(): DecodedMessage | undefined {
    if (this.failure) throw this.failure;
    try {
      return this.expectHandshake ? this.readHandshake() : this.readMessage();
    } catch (error) {
      if (error instanceof WireError) this.failure = error;
      throw error;
    }
  }

  /** Iterates over the whole messages buffered now (it ends when more bytes are needed). */
  *[Symbol.iterator](): Iterator<DecodedMessage> {
    for (let message = this.next(); message !== undefined; message = this.next()) yield message;
  }

  private fail(code: WireErrorCode, message: string, offset = this.consumed): never {
    throw new WireError(code, message, { offset });
  }

  /**
   * Memory of its own for a message about to be copied in whole, from the current slab. Not
   * zero-filled (it is overwritten at once), and never from Node's shared pool, so a view
   * cannot reach other buffers' bytes.
   */
  private carve(length: number): Uint8Array {
    if (length > SLAB_SIZE >> 1) return new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
    if (this.slab.length - this.slabUsed < length) {
      this.slab = new Uint8Array(Buffer.allocUnsafeSlow(SLAB_SIZE).buffer, 0, SLAB_SIZE);
      this.slabUsed = 0;
    }
    const view = this.slab.subarray(this.slabUsed, this.slabUsed + length);
    this.slabUsed += length;
    return view;
  }

  /** Copies the first `n` unread bytes into `target` without consuming them. */
  private copyOut(target: Uint8Array, n: number): void {
    let written = 0;
    let at = this.headOffset;
    for (let i = this.head; written < n; i++) {
      const chunk = this.chunks[i]!;
      const take = Math.min(chunk.length - at, n - written);
      target.set(new Uint8Array(chunk.buffer, chunk.byteOffset + at, take), written);
      written += take;
      at = 0;
    }
  }

  private consume(n: number): void {
    this.bufferedBytes -= n;
    this.consumed += n;
    let at = this.headOffset + n;
    const chunks = this.chunks;
    while (this.head < chunks.length && at >= chunks[this.head]!.length) {
      at -= chunks[this.head]!.length;
      this.head++;
    }
    this.headOffset = at;
    if (this.head === chunks.length) {
      chunks.length = 0;
      this.head = 0;
    } else if (this.head >= 32) {
      chunks.splice(0, this.head);
      this.head = 0;
    }
  }

  private readHandshake(): Handshake | undefined {
    const available = this.bufferedBytes;
    if (available === 0) return undefined;
    const prefix = this.scratch.subarray(0, Math.min(available, PROTOCOL.length));
    this.copyOut(prefix, prefix.length);
    checkProtocolPrefix(prefix, this.consumed);
    if (available < HANDSHAKE_LENGTH) return undefined;
    // A fresh copy: the handshake's fields are views that outlive the pushed chunks.
    const bytes = new Uint8Array(HANDSHAKE_LENGTH);
    this.copyOut(bytes, HANDSHAKE_LENGTH);
    const handshake = decodeHandshake(bytes, this.consumed);
    this.consume(HANDSHAKE_LENGTH);
    this.expectHandshake = false;
    return handshake;
  }

  private readMessage(): WireMessage | undefined {
    const available = this.bufferedBytes;
    if (available < 4) return undefined;
    const chunk = this.chunks[this.head]!;
    const at = this.headOffset;
    const contiguous = chunk.length - at;
    let length: number;
    let id: number;
    if (contiguous >= 5) {
      length = readUint32(chunk, at);
      id = chunk[at + 4]!;
    } else {
      this.copyOut(this.scratch, Math.min(5, available));
      length = readUint32(this.scratch, 0);
      id = available >= 5 ? this.scratch[4]! : -1;
    }
    if (length === 0) {
      this.consume(4);
      return KEEP_ALIVE;
    }
    if (length > this.maxMessageLength) this.fail(WireErrorCode.MESSAGE_TOO_LONG, `message of ${length} bytes is over the limit of ${this.maxMessageLength}`);
    if (id < 0) return undefined;
    this.checkLength(id, length);
    const total = 4 + length;
    if (available < total) return undefined;
    const offset = this.consumed;
    let bytes: Uint8Array;
    let start: number;
    if (contiguous >= total) {
      bytes = chunk;
      start = at + 5;
    } else {
      // The message straddles chunks: one copy, into scratch when nothing will keep a view of it.
      bytes = total <= SCRATCH_SIZE && SCRATCH_IDS.has(id) ? this.scratch : this.carve(total);
      this.copyOut(bytes, total);
      start = 5;
    }
    this.consume(total);
    return this.parse(id, bytes, start, length - 1, offset);
  }

  /** Checks a message's length against its id, before its body is buffered. */
  private checkLength(id: number, length: number): void {
    let expected: number | undefined;
    switch (id) {
      case MessageId.CHOKE:
      case MessageId.UNCHOKE:
      case MessageId.INTERESTED:
      case MessageId.NOT_INTERESTED:
      case MessageId.HAVE_ALL:
      case MessageId.HAVE_NONE:
        expected = 1;
        break;
      case MessageId.HAVE:
      case MessageId.SUGGEST:
      case MessageId.ALLOWED_FAST:
        expected = 5;
        break;
      case MessageId.REQUEST:
      case MessageId.CANCEL:
      case MessageId.REJECT:
        expected = 13;
        break;
      case MessageId.PORT:
        expected = 3;
        break;
      case MessageId.HASH_REQUEST:
      case MessageId.HASH_REJECT:
        expected = 49;
        break;
      case MessageId.PIECE:
        if (length < 9) this.fail(WireErrorCode.BAD_LENGTH, `piece message of ${length} bytes is shorter than its header`);
        if (length - 9 > this.maxBlockLength) this.fail(WireErrorCode.MESSAGE_TOO_LONG, `piece block of ${length - 9} bytes is over the limit of ${this.maxBlockLength}`);
        return;
      case MessageId.BITFIELD:
        if (this.pieces !== undefined && length !== 1 + Math.ceil(this.pieces / 8)) {
          this.fail(WireErrorCode.BAD_LENGTH, `bitfield of ${length - 1} bytes for ${this.pieces} pieces (expected ${Math.ceil(this.pieces / 8)})`);
        }
        return;
      case MessageId.EXTENDED:
        if (length < 2) this.fail(WireErrorCode.BAD_LENGTH, 'extended message without an extended id');
        return;
      case MessageId.HASHES:
        if (length < 49 || (length - 49) % 32 !== 0) this.fail(WireErrorCode.BAD_LENGTH, `hashes message of ${length} bytes is not a header and whole 32-byte hashes`);
        return;
      default:
        return;
    }
    if (length !== expected) this.fail(WireErrorCode.BAD_LENGTH, `message id ${id} must be ${expected} bytes long, got ${length}`);
  }

  private parse(id: number, b: Uint8Array, s: number, n: number, offset: number): WireMessage {
    switch (id) {
      case MessageId.CHOKE:
        return CHOKE;
      case MessageId.UNCHOKE:
        return UNCHOKE;
      case MessageId.INTERESTED:
        return INTERESTED;
      case MessageId.NOT_INTERESTED:
        return NOT_INTERESTED;
      case MessageId.HAVE_ALL:
        return HAVE_ALL;
      case MessageId.HAVE_NONE:
        return HAVE_NONE;
      case MessageId.HAVE:
        return { type: 'have', index: readUint32(b, s) };
      case MessageId.SUGGEST:
        return { type: 'suggest', index: readUint32(b, s) };
      case MessageId.ALLOWED_FAST:
        return { type: 'allowed-fast', index: readUint32(b, s) };
      case MessageId.REQUEST:
        return blockRange('request', b, s);
      case MessageId.CANCEL:
        return blockRange('cancel', b, s);
      case MessageId.REJECT:
        return blockRange('reject', b, s);
      case MessageId.PIECE:
        return { type: 'piece', index: readUint32(b, s), begin: readUint32(b, s + 4), block: view(b, s + 8, s + n) };
      case MessageId.PORT:
        return { type: 'port', port: (b[s]! << 8) | b[s + 1]! };
      case MessageId.BITFIELD: {
        const bitfield = view(b, s, s + n);
        const spare = this.pieces === undefined ? 0 : (8 - (this.pieces % 8)) % 8;
        if (spare > 0 && (bitfield[n - 1]! & ((1 << spare) - 1)) !== 0) {
          this.fail(WireErrorCode.BAD_BITFIELD, `bitfield has spare bits set past piece ${this.pieces}`, offset + 4 + n);
        }
        return { type: 'bitfield', bitfield };
      }
      case MessageId.EXTENDED:
        return { type: 'extended', id: b[s]!, payload: view(b, s + 1, s + n) };
      case MessageId.HASH_REQUEST:
        return { type: 'hash-request', ...hashRange(b, s) };
      case MessageId.HASH_REJECT:
        return { type: 'hash-reject', ...hashRange(b, s) };
      case MessageId.HASHES:
        return { type: 'hashes', ...hashRange(b, s), hashes: view(b, s + 48, s + n) };
      default:
        return { type: 'unknown', id, payload: view(b, s, s + n) };
    }
  }
}

/**
 * Bytes `[start, end)` of `b` as a plain Uint8Array view, whatever `b` is: a Buffer from a
 * socket gives no Buffer views, and this skips Buffer's own, slower `subarray`.
 */
function view(b: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset + start, end - start);
}

function blockRange<T extends 'request' | 'cancel' | 'reject'>(type: T, b: Uint8Array, s: number): { type: T } & BlockRange {
  return { type, index: readUint32(b, s), begin: readUint32(b, s + 4), length: readUint32(b, s + 8) };
}

// Straddling messages are copied into slabs of this size, carved in turn: one allocation for
// several messages. A view keeps its slab alive, as a view into a 64 KiB socket chunk does.
const SLAB_SIZE = 64 * 1024;

function hashRange(b: Uint8Array, s: number): HashRange {
  return {
    piecesRoot: view(b, s, s + 32),
    baseLayer: readUint32(b, s + 32),
    index: readUint32(b, s + 36),
    length: readUint32(b, s + 40),
    proofLayers: readUint32(b, s + 44),
  };
}

/**
 * Decodes exactly one whole message (length prefix included). Throws WIRE_BAD_LENGTH when
 * `bytes` holds less or more than one message. Byte fields are views into `bytes`.
 */
export function decodeMessage(bytes: Uint8Array, options: Omit<MessageDecoderOptions, 'handshake'> = {}): WireMessage {
  const decoder = new MessageDecoder(options);
  decoder.push(bytes);
  const message = decoder.next() as WireMessage | undefined;
  if (message === undefined) throw new WireError(WireErrorCode.BAD_LENGTH, `input ends inside a message (${bytes.length} bytes)`, { offset: 0 });
  if (decoder.buffered !== 0) throw new WireError(WireErrorCode.BAD_LENGTH, `${decoder.buffered} bytes after the message`, { offset: decoder.offset });
  return message;
}
