/**
 * Blocks of the pieces in progress, gathered in one buffer a piece until the piece is whole:
 * a piece is hashed and written in one go, never read back from disk to be checked. Memory
 * follows the pieces in flight (the picker finishes started pieces first).
 */
export class PieceBuffers {
  readonly #buffers = new Map<number, Uint8Array>();
  readonly #lengthOf: (piece: number) => number;
  readonly #pieceLength: number;
  readonly #maxFree: number;
  // Buffers of written pieces, for the next pieces: a fresh large buffer costs a page fault
  // per 4 KiB when first written and a munmap when collected, more than the copy itself.
  readonly #free: Uint8Array[] = [];
  #bytes = 0;

  constructor(lengthOf: (piece: number) => number, pieceLength: number, maxFreeBytes = 8 * 1024 * 1024) {
    this.#lengthOf = lengthOf;
    this.#pieceLength = pieceLength;
    this.#maxFree = Math.max(1, Math.floor(maxFreeBytes / pieceLength));
  }

  /** A buffer handed out by `take` is no longer used (its piece is written): it may hold another piece. */
  release(buffer: Uint8Array): void {
    if (buffer.length === this.#pieceLength && buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && this.#free.length < this.#maxFree) this.#free.push(buffer);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Copies `block` into its piece's buffer (the caller's bytes are not kept). */
  write(piece: number, begin: number, block: Uint8Array): void {
    let buffer = this.#buffers.get(piece);
    if (buffer === undefined) {
      const length = this.#lengthOf(piece);
      // Its own ArrayBuffer (not a slice of Node's pool), so it can be handed to a hash worker.
      buffer = (length === this.#pieceLength ? this.#free.pop() : undefined) ?? Buffer.allocUnsafeSlow(length);
      this.#buffers.set(piece, buffer);
      this.#bytes += length;
    }
    buffer.set(block, begin);
  }

  /** The whole piece, now no longer held here. */
  take(piece: number): Uint8Array | undefined {
    const buffer = this.#buffers.get(piece);
    if (buffer !== undefined) this.drop(piece);
    return buffer;
  }

  drop(piece: number): void {
    const buffer = this.#buffers.get(piece);
    if (buffer === undefined) return;
    this.#buffers.delete(piece);
    this.#bytes -= buffer.length;
  }

  clear(): void {
    this.#buffers.clear();
    this.#free.length = 0;
    this.#bytes = 0;
  }
}
