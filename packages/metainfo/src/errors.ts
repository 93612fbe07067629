/**
 * Every way a .torrent file, an info dictionary or a magnet link can be refused, as a stable
 * code. Tests and callers match on these, never on message text.
 */
export const MetainfoErrorCode = {
  /** The input is not bencode at all; `cause` holds the `BencodeError` and `offset` where it failed. */
  BAD_BENCODE: 'METAINFO_BAD_BENCODE',
  /** The file decodes, but not to a dictionary. */
  NOT_A_DICTIONARY: 'METAINFO_NOT_A_DICTIONARY',
  /** No `info` dictionary (or it is not a dictionary). */
  MISSING_INFO: 'METAINFO_MISSING_INFO',
  /** `name` missing, not a string, or not usable as a file or folder name. */
  BAD_NAME: 'METAINFO_BAD_NAME',
  /** `piece length` missing, not a positive integer, over the limit, or (v2) not a power of two >= 16 KiB. */
  BAD_PIECE_LENGTH: 'METAINFO_BAD_PIECE_LENGTH',
  /** v1 `pieces` missing, not a multiple of 20 bytes, or not one hash per piece. */
  BAD_PIECES: 'METAINFO_BAD_PIECES',
  /** A length that is missing, negative, not an integer or beyond 2^53 (alone or summed). */
  BAD_LENGTH: 'METAINFO_BAD_LENGTH',
  /** v1 `files` malformed: not a list, empty, an entry not a dictionary, or both/neither of `length` and `files`. */
  BAD_FILES: 'METAINFO_BAD_FILES',
  /** A path (or symlink target) component that could escape the download folder: see `sanitizePathComponent`. */
  BAD_PATH: 'METAINFO_BAD_PATH',
  /** Two files at one path, or one path used both as a file and as a folder. */
  DUPLICATE_PATH: 'METAINFO_DUPLICATE_PATH',
  /** `meta version` present but not 2. */
  BAD_META_VERSION: 'METAINFO_BAD_META_VERSION',
  /** v2 `file tree` missing or malformed, or holding no file. */
  BAD_FILE_TREE: 'METAINFO_BAD_FILE_TREE',
  /** v2 `pieces root` missing for a non-empty file or not 32 bytes. */
  BAD_PIECES_ROOT: 'METAINFO_BAD_PIECES_ROOT',
  /** v2 `piece layers` missing, of the wrong size, or not hashing up to the file's `pieces root`. */
  BAD_PIECE_LAYERS: 'METAINFO_BAD_PIECE_LAYERS',
  /** A hybrid torrent whose v1 and v2 parts describe different files or pieces. */
  HYBRID_MISMATCH: 'METAINFO_HYBRID_MISMATCH',
  /** Over a limit of `ParseOptions` (files, pieces, path depth). */
  LIMIT_EXCEEDED: 'METAINFO_LIMIT_EXCEEDED',
  /** Not a magnet URI, or a malformed parameter in one. */
  BAD_MAGNET: 'METAINFO_BAD_MAGNET',
  /** An info hash that is not 40 hex, 32 base32 or 64 hex characters (or a multihash other than SHA-256). */
  BAD_INFO_HASH: 'METAINFO_BAD_INFO_HASH',
} as const;

export type MetainfoErrorCode = (typeof MetainfoErrorCode)[keyof typeof MetainfoErrorCode];

export interface MetainfoErrorOptions {
  /** Where in the torrent the problem is, as a property path (`info.files[3].path[1]`). */
  field?: string;
  /** Byte offset in the input, where known (bencode errors). */
  offset?: number;
  cause?: unknown;
}

/** The one error class of @gtorr/metainfo: a torrent, info dictionary or magnet link that cannot be used. */
export class MetainfoError extends Error {
  override readonly name = 'MetainfoError';
  readonly code: MetainfoErrorCode;
  /** The offending field as a property path (`info.files[3].length`), where there is one. */
  readonly field: string | undefined;
  /** Byte offset in the input, where known. */
  readonly offset: number | undefined;

  constructor(code: MetainfoErrorCode, message: string, options: MetainfoErrorOptions = {}) {
    const where = options.field !== undefined ? ` (${options.field})` : options.offset !== undefined ? ` at byte ${options.offset}` : '';
    super(`${message}${where}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.offset = options.offset;
  }
}
