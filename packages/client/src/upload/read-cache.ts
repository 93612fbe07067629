import type { Storage } from '@gtorr/storage';

/** Default bytes of whole pieces kept for serving. */
export const DEFAULT_READ_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Whole pieces read for serving, least recently used dropped first. Peers ask for a piece
 * block by block, and many peers ask for the same pieces: one read of the whole piece serves
 * them all, and concurrent asks for a piece share one read.
 */
export class ReadCache {
  readonly #storage: Storage;
  readonly #lengthOf: (piece: number) => number;
  readonly #maxBytes: number;
  // Map order is recency order: a hit moves the piece to the end.
  readonly #pieces = new Map<number, Promise<Uint8Array>>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(storage: Storage, lengthOf: (piece: number) => number, maxBytes = DEFAULT_READ_CACHE_BYTES) {
    this.#storage = storage;
    this.#lengthOf = lengthOf;
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get stats(): { hits: number; misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }

  /** The whole piece. Do not modify it: it is shared. */
  read(piece: number): Promise<Uint8Array> {
    const cached = this.#pieces.get(piece);
    if (cached !== undefined) {
      this.#hits++;
      this.#pieces.delete(piece);
      this.#pieces.set(piece, cached);
      return cached;
    }
    this.#misses++;
    const length = this.#lengthOf(piece);
    const read = this.#storage.read(piece, 0, length);
    this.#insert(piece, read, length);
    // A failed read is not remembered: the next ask tries the disk again.
    read.catch(() => {
      if (this.#pieces.get(piece) === read) this.#remove(piece);
    });
    return read;
  }

  /** A piece just verified: serve it from memory to the peers that will ask for it next. */
  put(piece: number, data: Uint8Array): void {
    if (this.#pieces.has(piece)) this.#remove(piece);
    this.#insert(piece, Promise.resolve(data), data.length);
  }

  clear(): void {
    this.#pieces.clear();
    this.#bytes = 0;
  }

  #insert(piece: number, data: Promise<Uint8Array>, length: number): void {
    if (length > this.#maxBytes) return;
    while (this.#bytes + length > this.#maxBytes) {
      const oldest = this.#pieces.keys().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value);
    }
    this.#pieces.set(piece, data);
    this.#bytes += length;
  }

  #remove(piece: number): void {
    if (!this.#pieces.delete(piece)) return;
    this.#bytes -= this.#lengthOf(piece);
  }
}
