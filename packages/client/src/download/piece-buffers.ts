/**
 * Blocks of the pieces in progress, gathered in one buffer a piece until the piece is whole:
 * a piece is hashed and written in one go, never read back from disk to be checked. Memory
 * follows the pieces in flight (the picker finishes started pieces first).
 */
export class PieceBuffers {
  readonly #buffers = new Map<number, Uint8Array>();
  readonly #lengthOf: (piece: number) => number;
  #bytes = 0;

  constructor(lengthOf: (piece: number) => number) {
    this.#lengthOf = lengthOf;
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
      buffer = Buffer.allocUnsafeSlow(length);
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
    this.#bytes = 0;
  }
}
