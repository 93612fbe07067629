import type { BlockRange } from '@gtorr/wire';
import type { TokenBucket } from '../rate/token-bucket.js';
import type { Peer } from '../torrent/peer.js';
import type { ReadCache } from './read-cache.js';

/** Requests one peer may have queued with us: what our extended handshake says (`reqq`), as deep as libtorrent's high-performance seed allows, so one fast peer can fill a fast link. */
export const UPLOAD_QUEUE_LIMIT = 2000;

export interface UploaderOptions {
  readonly cache: () => ReadCache | undefined;
  /** The torrent's upload bucket (chained under the session's). */
  readonly bucket: TokenBucket;
  readonly now: () => number;
  /** Payload bytes sent to a peer. */
  readonly onSent: (peer: Peer, bytes: number) => void;
  /** A read failed: the torrent's storage is in trouble. */
  readonly onReadError: (error: unknown, piece: number) => void;
}

/**
 * Serves the blocks peers ask for, one peer at a time in order of asking, from the read
 * cache, under the upload rate limit, never faster than the peer's socket drains.
 */
export class Uploader {
  readonly #options: UploaderOptions;

  constructor(options: UploaderOptions) {
    this.#options = options;
  }

  /** Queues a valid request; false when the peer already has `UPLOAD_QUEUE_LIMIT` queued. */
  enqueue(peer: Peer, request: BlockRange): boolean {
    if (peer.uploads.length >= UPLOAD_QUEUE_LIMIT) return false;
    peer.uploads.push(request);
    if (!peer.serving) void this.#serve(peer);
    return true;
  }

  /** CANCEL: drops the request if it is still queued. */
  cancel(peer: Peer, request: BlockRange): boolean {
    const i = peer.uploads.findIndex((r) => r.index === request.index && r.begin === request.begin && r.length === request.length);
    if (i < 0) return false;
    peer.uploads.splice(i, 1);
    return true;
  }

  /** We choke the peer (or it left): its queue is dropped. Returns what was dropped, to REJECT under BEP 6. */
  clear(peer: Peer): BlockRange[] {
    return peer.uploads.splice(0);
  }

  async #serve(peer: Peer): Promise<void> {
    peer.serving = true;
    const { connection } = peer;
    try {
      while (peer.uploads.length > 0 && !connection.destroyed) {
        if (connection.writableNeedDrain) {
          await waitForDrain(peer);
          continue;
        }
        const request = peer.uploads[0]!;
        const wait = this.#options.bucket.waitTime(request.length, this.#options.now());
        if (wait > 0) {
          await sleep(Math.min(wait, 1000));
          continue;
        }
        const cache = this.#options.cache();
        if (cache === undefined) return;
        let piece: Uint8Array;
        try {
          piece = await cache.read(request.index);
        } catch (error) {
          peer.uploads.length = 0;
          this.#options.onReadError(error, request.index);
          return;
        }
        // Cancelled or choked while the piece was read: the queue no longer starts with it.
        if (peer.uploads[0] !== request || connection.destroyed) continue;
        peer.uploads.shift();
        this.#options.bucket.consume(request.length, this.#options.now());
        connection.piece(request.index, request.begin, blockOf(piece, request.begin, request.length));
        this.#options.onSent(peer, request.length);
      }
    } finally {
      peer.serving = false;
    }
  }
}

// A view of the block; zeros past the piece's data, where a v2 torrent's last piece is
// padded (libtorrent counts a pad file after the last file and asks for whole blocks).
function blockOf(piece: Uint8Array, begin: number, length: number): Uint8Array {
  if (begin + length <= piece.length) return piece.subarray(begin, begin + length);
  const block = new Uint8Array(length);
  block.set(piece.subarray(Math.min(begin, piece.length)));
  return block;
}

function waitForDrain(peer: Peer): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      peer.connection.off('drain', done);
      peer.connection.off('close', done);
      resolve();
    };
    peer.connection.on('drain', done);
    peer.connection.on('close', done);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
