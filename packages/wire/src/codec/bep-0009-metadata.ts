import { encode } from '@gtorr/bencode';
import { WireError, WireErrorCode } from '../errors.js';
import { decodeDictionaryPrefix } from '../internal/bencode.js';

/** The extension name BEP 9 registers in the extended handshake's `m`. */
export const UT_METADATA = 'ut_metadata';

/** BEP 9: metadata travels in 16 KiB pieces; only the last one is shorter. */
export const METADATA_PIECE_LENGTH = 16384;

/**
 * The largest `total_size` accepted by default: 8 MiB of info dictionary, ~400,000 v1
 * pieces. libtorrent's own default limit (`max_metadata_size`) is 3 MiB.
 */
export const DEFAULT_MAX_METADATA_SIZE = 8 << 20;

/** A BEP 9 ut_metadata message. `data` of a `data` message is a view into the decoded payload. */
export type MetadataMessage =
  | { readonly type: 'request'; readonly piece: number }
  | { readonly type: 'data'; readonly piece: number; readonly totalSize: number; readonly data: Uint8Array }
  | { readonly type: 'reject'; readonly piece: number };

const MSG_TYPE = { request: 0, data: 1, reject: 2 } as const;

/** How many 16 KiB pieces a metadata of `totalSize` bytes has. */
export function metadataPieceCount(totalSize: number): number {
  return Math.ceil(totalSize / METADATA_PIECE_LENGTH);
}

/** The length of metadata piece `piece` of a `totalSize`-byte info dictionary (0 past the end). */
function pieceLength(piece: number, totalSize: number): number {
  return Math.max(0, Math.min(METADATA_PIECE_LENGTH, totalSize - piece * METADATA_PIECE_LENGTH));
}

/** The payload of a ut_metadata message: a bencoded dictionary, then for `data` the raw bytes. */
export function encodeMetadataMessage(message: MetadataMessage): Uint8Array {
  if (!Number.isInteger(message.piece) || message.piece < 0) throw new RangeError('wire: piece must be a non-negative integer');
  if (message.type !== 'data') return encode({ msg_type: MSG_TYPE[message.type], piece: message.piece });
  if (message.data.length !== pieceLength(message.piece, message.totalSize) || message.data.length === 0) {
    throw new RangeError(`wire: metadata piece ${message.piece} of a ${message.totalSize}-byte info dictionary cannot hold ${message.data.length} bytes`);
  }
  const head = encode({ msg_type: MSG_TYPE.data, piece: message.piece, total_size: message.totalSize });
  const out = new Uint8Array(head.length + message.data.length);
  out.set(head, 0);
  out.set(message.data, head.length);
  return out;
}

export interface MetadataDecodeOptions {
  /** The largest `total_size` accepted. Default 8 MiB. */
  maxMetadataSize?: number;
}

function bad(message: string, offset?: number): never {
  throw new WireError(WireErrorCode.BAD_METADATA, message, { offset });
}

/**
 * Decodes a ut_metadata payload. A `data` message must carry exactly the bytes its piece
 * holds for its `total_size`. Returns `undefined` for an unknown `msg_type`, which BEP 9
 * says to ignore. Throws WIRE_BAD_METADATA otherwise.
 */
export function decodeMetadataMessage(payload: Uint8Array, options: MetadataDecodeOptions = {}): MetadataMessage | undefined {
  const maxSize = options.maxMetadataSize ?? DEFAULT_MAX_METADATA_SIZE;
  const { value, end } = decodeDictionaryPrefix(payload, WireErrorCode.BAD_METADATA, 'ut_metadata message');
  const { msg_type: type, piece, total_size: totalSize } = value;
  if (typeof type !== 'number' || !Number.isInteger(type)) bad('ut_metadata message has no integer msg_type', 0);
  if (typeof piece !== 'number' || !Number.isInteger(piece) || piece < 0) bad('ut_metadata message has no valid piece', 0);
  const trailing = payload.subarray(end);
  if (type === MSG_TYPE.request || type === MSG_TYPE.reject) {
    if (trailing.length !== 0) bad(`${trailing.length} bytes after a ut_metadata ${type === 0 ? 'request' : 'reject'}`, end);
    return { type: type === 0 ? 'request' : 'reject', piece };
  }
  if (type !== MSG_TYPE.data) return undefined;
  if (typeof totalSize !== 'number' || !Number.isInteger(totalSize) || totalSize <= 0) bad('ut_metadata data has no valid total_size', 0);
  if (totalSize > maxSize) bad(`ut_metadata total_size ${totalSize} is over the limit of ${maxSize}`, 0);
  const expected = pieceLength(piece, totalSize);
  if (expected === 0) bad(`ut_metadata piece ${piece} is past the end of a ${totalSize}-byte info dictionary`, 0);
  if (trailing.length !== expected) bad(`ut_metadata piece ${piece} carries ${trailing.length} bytes, expected ${expected}`, end);
  return { type: 'data', piece, totalSize, data: trailing };
}
