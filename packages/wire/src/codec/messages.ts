import { checkUint32, writeUint32 } from '../internal/bytes.js';

/** The message ids of BEP 3, BEP 5 (`port`), BEP 6, BEP 10 (`extended`) and BEP 52. */
export const MessageId = {
  CHOKE: 0,
  UNCHOKE: 1,
  INTERESTED: 2,
  NOT_INTERESTED: 3,
  HAVE: 4,
  BITFIELD: 5,
  REQUEST: 6,
  PIECE: 7,
  CANCEL: 8,
  PORT: 9,
  SUGGEST: 13,
  HAVE_ALL: 14,
  HAVE_NONE: 15,
  REJECT: 16,
  ALLOWED_FAST: 17,
  EXTENDED: 20,
  HASH_REQUEST: 21,
  HASHES: 22,
  HASH_REJECT: 23,
} as const;

/** A block reference: `request`, `cancel` and BEP 6 `reject` carry one. */
export interface BlockRange {
  readonly index: number;
  readonly begin: number;
  readonly length: number;
}

/** A BEP 52 hash request; `hash-reject` carries the same fields. */
export interface HashRange {
  /** The 32-byte root of the file's piece tree. */
  readonly piecesRoot: Uint8Array;
  readonly baseLayer: number;
  readonly index: number;
  readonly length: number;
  readonly proofLayers: number;
}

export type KeepAliveMessage = { readonly type: 'keep-alive' };
export type ChokeMessage = { readonly type: 'choke' };
export type UnchokeMessage = { readonly type: 'unchoke' };
export type InterestedMessage = { readonly type: 'interested' };
export type NotInterestedMessage = { readonly type: 'not-interested' };
export type HaveMessage = { readonly type: 'have'; readonly index: number };
/** Piece 0 is the high bit of the first byte (BEP 3). */
export type BitfieldMessage = { readonly type: 'bitfield'; readonly bitfield: Uint8Array };
export type RequestMessage = { readonly type: 'request' } & BlockRange;
/** `block` is a view into the received bytes (see the decoder for who owns them). */
export type PieceMessage = { readonly type: 'piece'; readonly index: number; readonly begin: number; readonly block: Uint8Array };
export type CancelMessage = { readonly type: 'cancel' } & BlockRange;
/** BEP 5: the sender's DHT port. */
export type PortMessage = { readonly type: 'port'; readonly port: number };
export type SuggestMessage = { readonly type: 'suggest'; readonly index: number };
export type HaveAllMessage = { readonly type: 'have-all' };
export type HaveNoneMessage = { readonly type: 'have-none' };
export type RejectMessage = { readonly type: 'reject' } & BlockRange;
export type AllowedFastMessage = { readonly type: 'allowed-fast'; readonly index: number };
/** BEP 10: `id` is the extended message id (0 = the extended handshake), `payload` what follows it. */
export type ExtendedMessage = { readonly type: 'extended'; readonly id: number; readonly payload: Uint8Array };
export type HashRequestMessage = { readonly type: 'hash-request' } & HashRange;
/** BEP 52: the requested hashes then the proof, 32 bytes each. */
export type HashesMessage = { readonly type: 'hashes'; readonly hashes: Uint8Array } & HashRange;
export type HashRejectMessage = { readonly type: 'hash-reject' } & HashRange;
/** A message id no implemented BEP defines. BEP 3 peers ignore those; so does PeerConnection. */
export type UnknownMessage = { readonly type: 'unknown'; readonly id: number; readonly payload: Uint8Array };

/** Every message after the handshake. */
export type WireMessage =
  | KeepAliveMessage
  | ChokeMessage
  | UnchokeMessage
  | InterestedMessage
  | NotInterestedMessage
  | HaveMessage
  | BitfieldMessage
  | RequestMessage
  | PieceMessage
  | CancelMessage
  | PortMessage
  | SuggestMessage
  | HaveAllMessage
  | HaveNoneMessage
  | RejectMessage
  | AllowedFastMessage
  | ExtendedMessage
  | HashRequestMessage
  | HashesMessage
  | HashRejectMessage
  | UnknownMessage;

export type WireMessageType = WireMessage['type'];

// Messages without fields are shared, frozen objects: decoding them allocates nothing.
export const KEEP_ALIVE: KeepAliveMessage = Object.freeze({ type: 'keep-alive' });
export const CHOKE: ChokeMessage = Object.freeze({ type: 'choke' });
export const UNCHOKE: UnchokeMessage = Object.freeze({ type: 'unchoke' });
export const INTERESTED: InterestedMessage = Object.freeze({ type: 'interested' });
export const NOT_INTERESTED: NotInterestedMessage = Object.freeze({ type: 'not-interested' });
export const HAVE_ALL: HaveAllMessage = Object.freeze({ type: 'have-all' });
export const HAVE_NONE: HaveNoneMessage = Object.freeze({ type: 'have-none' });

/** 4-byte length + 1-byte id + index + begin: what precedes a piece's block. */
export const PIECE_HEADER_LENGTH = 13;

/**
 * Where encoded bytes go. The public encoders return plain Uint8Arrays (small ones are
 * allocated on V8's heap, the fastest there is); a connection passes `Buffer.allocUnsafe`,
 * since a socket takes Buffers as they are and converts any other Uint8Array.
 */
export type Allocate = (length: number) => Uint8Array;

const newBytes: Allocate = (length) => new Uint8Array(length);

function frame(allocate: Allocate, id: number, payloadLength: number): Uint8Array {
  const out = allocate(5 + payloadLength);
  writeUint32(out, 0, 1 + payloadLength);
  out[4] = id;
  return out;
}

function indexMessage(allocate: Allocate, id: number, index: number): Uint8Array {
  checkUint32(index, 'index');
  const out = frame(allocate, id, 4);
  writeUint32(out, 5, index);
  return out;
}

function rangeMessage(allocate: Allocate, id: number, range: BlockRange): Uint8Array {
  checkUint32(range.index, 'index');
  checkUint32(range.begin, 'begin');
  checkUint32(range.length, 'length');
  const out = frame(allocate, id, 12);
  writeUint32(out, 5, range.index);
  writeUint32(out, 9, range.begin);
  writeUint32(out, 13, range.length);
  return out;
}

function hashMessage(allocate: Allocate, id: number, range: HashRange, hashes?: Uint8Array): Uint8Array {
  if (!(range.piecesRoot instanceof Uint8Array) || range.piecesRoot.length !== 32) throw new TypeError('wire: piecesRoot must be 32 bytes');
  if (hashes !== undefined && hashes.length % 32 !== 0) throw new RangeError('wire: hashes must be a whole number of 32-byte hashes');
  for (const key of ['baseLayer', 'index', 'length', 'proofLayers'] as const) checkUint32(range[key], key);
  const out = frame(allocate, id, 48 + (hashes?.length ?? 0));
  out.set(range.piecesRoot, 5);
  writeUint32(out, 37, range.baseLayer);
  writeUint32(out, 41, range.index);
  writeUint32(out, 45, range.length);
  writeUint32(out, 49, range.proofLayers);
  if (hashes) out.set(hashes, 53);
  return out;
}

function bytesMessage(allocate: Allocate, id: number, payload: Uint8Array, prefix?: number): Uint8Array {
  if (!(payload instanceof Uint8Array)) throw new TypeError('wire: a message payload must be a Uint8Array');
  const extra = prefix === undefined ? 0 : 1;
  const out = frame(allocate, id, extra + payload.length);
  if (prefix !== undefined) out[5] = prefix;
  out.set(payload, 5 + extra);
  return out;
}

function writePieceHeader(out: Uint8Array, index: number, begin: number, blockLength: number): void {
  checkUint32(index, 'index');
  checkUint32(begin, 'begin');
  if (!Number.isInteger(blockLength) || blockLength < 0 || blockLength > 0xffff_ffff - 9) throw new RangeError('wire: block too long for one message');
  writeUint32(out, 0, 9 + blockLength);
  out[4] = MessageId.PIECE;
  writeUint32(out, 5, index);
  writeUint32(out, 9, begin);
}

/** `encodePieceHeader` with the memory taken from `allocate`. */
export function pieceHeaderWith(index: number, begin: number, blockLength: number, allocate: Allocate): Uint8Array {
  const out = allocate(PIECE_HEADER_LENGTH);
  writePieceHeader(out, index, begin, blockLength);
  return out;
}

/**
 * The 13 bytes before a piece message's block: send them and then the block itself (two
 * writes, or one `writev`) to put a piece on the wire without copying the block.
 */
export function encodePieceHeader(index: number, begin: number, blockLength: number): Uint8Array {
  return pieceHeaderWith(index, begin, blockLength, newBytes);
}

/**
 * The bytes of one message, length prefix included, in a fresh buffer (a piece's block is
 * copied: use `encodePieceHeader` to avoid that). Throws RangeError/TypeError on fields that
 * do not fit the wire format.
 */
export function encodeMessage(message: WireMessage): Uint8Array {
  return encodeWith(message, newBytes);
}

/** `encodeMessage` with the memory taken from `allocate`. */
export function encodeWith(message: WireMessage, allocate: Allocate): Uint8Array {
  switch (message.type) {
    case 'keep-alive':
      return new Uint8Array(4);
    case 'choke':
      return frame(allocate, MessageId.CHOKE, 0);
    case 'unchoke':
      return frame(allocate, MessageId.UNCHOKE, 0);
    case 'interested':
      return frame(allocate, MessageId.INTERESTED, 0);
    case 'not-interested':
      return frame(allocate, MessageId.NOT_INTERESTED, 0);
    case 'have-all':
      return frame(allocate, MessageId.HAVE_ALL, 0);
    case 'have-none':
      return frame(allocate, MessageId.HAVE_NONE, 0);
    case 'have':
      return indexMessage(allocate, MessageId.HAVE, message.index);
    case 'suggest':
      return indexMessage(allocate, MessageId.SUGGEST, message.index);
    case 'allowed-fast':
      return indexMessage(allocate, MessageId.ALLOWED_FAST, message.index);
    case 'request':
      return rangeMessage(allocate, MessageId.REQUEST, message);
    case 'cancel':
      return rangeMessage(allocate, MessageId.CANCEL, message);
    case 'reject':
      return rangeMessage(allocate, MessageId.REJECT, message);
    case 'bitfield':
      return bytesMessage(allocate, MessageId.BITFIELD, message.bitfield);
    case 'piece': {
      const out = allocate(PIECE_HEADER_LENGTH + message.block.length);
      writePieceHeader(out, message.index, message.begin, message.block.length);
      out.set(message.block, PIECE_HEADER_LENGTH);
      return out;
    }
    case 'port': {
      if (!Number.isInteger(message.port) || message.port < 0 || message.port > 0xffff) throw new RangeError('wire: port must be an integer in [0, 65535]');
      const out = frame(allocate, MessageId.PORT, 2);
      out[5] = message.port >> 8;
      out[6] = message.port & 0xff;
      return out;
    }
    case 'extended':
      if (!Number.isInteger(message.id) || message.id < 0 || message.id > 255) throw new RangeError('wire: an extended message id is an integer in [0, 255]');
      return bytesMessage(allocate, MessageId.EXTENDED, message.payload, message.id);
    case 'hash-request':
      return hashMessage(allocate, MessageId.HASH_REQUEST, message);
    case 'hash-reject':
      return hashMessage(allocate, MessageId.HASH_REJECT, message);
    case 'hashes':
      return hashMessage(allocate, MessageId.HASHES, message, message.hashes);
    case 'unknown':
      if (!Number.isInteger(message.id) || message.id < 0 || message.id > 255) throw new RangeError('wire: a message id is an integer in [0, 255]');
      return bytesMessage(allocate, message.id, message.payload);
  }
}
