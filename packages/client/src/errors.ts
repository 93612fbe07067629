/** Stable codes of `ClientError`. */
export const ClientErrorCode = {
  /** Metadata fetched from peers did not hash to the torrent's info hash, or did not parse. */
  BAD_METADATA: 'CLIENT_BAD_METADATA',
  /** The session already has a torrent with this info hash. */
  DUPLICATE_TORRENT: 'CLIENT_DUPLICATE_TORRENT',
  /** The listening socket could not be opened. */
  LISTEN_FAILED: 'CLIENT_LISTEN_FAILED',
  /** Reading or writing the torrent's data failed (a full disk, a read-only folder...). */
  STORAGE_FAILED: 'CLIENT_STORAGE_FAILED',
  /** Something gtorr does not do yet. */
  UNSUPPORTED: 'CLIENT_UNSUPPORTED',
  /** The torrent or session was stopped before the operation finished. */
  STOPPED: 'CLIENT_STOPPED',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export interface ClientErrorOptions {
  readonly cause?: unknown;
  /** The peer concerned, as `host:port`. */
  readonly peer?: string;
}

/** What the engine reports when a torrent cannot go on, or a peer or tracker misbehaves. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;
  readonly peer: string | undefined;

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.peer = options.peer;
  }
}
