import { METADATA_PIECE_LENGTH, metadataPieceCount } from '@gtorr/wire';
import type { InfoHashes } from '@gtorr/metainfo';
import { sameBytes, sha1, sha256 } from '../internal/hash.js';

// A piece asked of a peer that has not answered for this long may be asked of another.
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A magnet link's info dictionary, gathered 16 KiB at a time from peers (BEP 9) and checked
 * against the info hash before anyone uses it. No I/O: the caller sends the requests it is
 * told to and hands over what arrives.
 */
export class MetadataAssembler {
  readonly size: number;
  readonly pieceCount: number;
  readonly #infoHash: InfoHashes;
  readonly #buffer: Uint8Array;
  readonly #received: Uint8Array;
  readonly #askedAt: Float64Array;
  #count = 0;

  constructor(size: number, infoHash: InfoHashes) {
    this.size = size;
    this.pieceCount = metadataPieceCount(size);
    this.#infoHash = infoHash;
    this.#buffer = new Uint8Array(size);
    this.#received = new Uint8Array(this.pieceCount);
    this.#askedAt = new Float64Array(this.pieceCount).fill(Number.NEGATIVE_INFINITY);
  }

  /** A piece to ask for now (none received, none asked for recently), marked as asked. */
  next(now: number): number | undefined {
    for (let piece = 0; piece < this.pieceCount; piece++) {
      if (this.#received[piece] === 0 && now - this.#askedAt[piece]! >= REQUEST_TIMEOUT_MS) {
        this.#askedAt[piece] = now;
        return piece;
      }
    }
    return undefined;
  }

  /** A peer rejected the piece: it may be asked of another at once. */
  rejected(piece: number): void {
    if (piece >= 0 && piece < this.pieceCount) this.#askedAt[piece] = Number.NEGATIVE_INFINITY;
  }

  /** Keeps a piece's bytes; false when they cannot be that piece (wrong length or index). */
  receive(piece: number, data: Uint8Array): boolean {
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) return false;
    const expected = Math.min(METADATA_PIECE_LENGTH, this.size - piece * METADATA_PIECE_LENGTH);
    if (data.length !== expected) return false;
    if (this.#received[piece] === 0) {
      this.#buffer.set(data, piece * METADATA_PIECE_LENGTH);
      this.#received[piece] = 1;
      this.#count++;
    }
    return true;
  }

  get complete(): boolean {
    return this.#count === this.pieceCount;
  }

  /**
   * Once complete: the bytes when they hash to the info hash (v1 SHA-1 or v2 SHA-256),
   * otherwise undefined, and everything is asked for again.
   */
  verified(): Uint8Array | undefined {
    if (!this.complete) return undefined;
    const { v1, v2 } = this.#infoHash;
    const ok = v1 !== null ? sameBytes(sha1(this.#buffer), v1) : v2 !== null && sameBytes(sha256(this.#buffer), v2);
    if (ok) return this.#buffer;
    this.#received.fill(0);
    this.#askedAt.fill(Number.NEGATIVE_INFINITY);
    this.#count = 0;
    return undefined;
  }
}
