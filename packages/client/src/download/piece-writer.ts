import type { Metainfo } from '@gtorr/metainfo';
import { verifyPieceData, type HashPool, type Storage } from '@gtorr/storage';

const MIN_POOLED_PIECE = 256 * 1024;

export interface PieceWriterOptions {
  readonly metainfo: Metainfo;
  readonly storage: Storage;
  /** Hash on these workers; default on the calling thread. */
  readonly hashPool?: HashPool | undefined;
  /** The piece passed its hashes and is written (not yet flushed). `data` may be kept: it is not reused. */
  readonly onVerified: (piece: number, data: Uint8Array) => void;
  /** The piece failed its hashes; `data` is the bad copy (to find who sent which block). */
  readonly onFailed: (piece: number, data: Uint8Array) => void;
  /** Writing failed: the torrent cannot go on. */
  readonly onError: (error: unknown, piece: number) => void;
}

/**
 * Complete pieces on their way to disk: hashed (on a worker when there is a pool), then
 * written, then reported. Counts the bytes on the way so the downloader can stop asking for
 * more when the disk falls behind the network.
 */
export class PieceWriter {
  readonly #options: PieceWriterOptions;
  readonly #pending = new Set<Promise<void>>();
  #bytes = 0;
  #closed = false;

  constructor(options: PieceWriterOptions) {
    this.#options = options;
  }

  /** Bytes of pieces being hashed or written. */
  get bytes(): number {
    return this.#bytes;
  }

  submit(piece: number, data: Uint8Array): void {
    this.#bytes += data.length;
    const length = data.length;
    const job = this.#run(piece, data).finally(() => {
      this.#bytes -= length;
      this.#pending.delete(job);
    });
    this.#pending.add(job);
  }

  /** Resolves when every submitted piece is written or dropped. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Results after this are ignored (the torrent stopped). */
  close(): void {
    this.#closed = true;
  }

  async #run(piece: number, data: Uint8Array): Promise<void> {
    const { metainfo, storage, hashPool } = this.#options;
    let ok: boolean;
    let bytes = data;
    try {
      // A small piece hashes faster here than the round trip to a worker takes.
      if (hashPool === undefined || data.length < MIN_POOLED_PIECE) ok = verifyPieceData(metainfo, piece, data);
      else ({ ok, data: bytes } = await hashPool.verify(metainfo, piece, data, { transfer: true }));
    } catch (error) {
      if (!this.#closed) this.#options.onError(error, piece);
      return;
    }
    if (this.#closed) return;
    if (!ok) {
      this.#options.onFailed(piece, bytes);
      return;
    }
    try {
      await storage.write(piece, 0, bytes);
    } catch (error) {
      if (!this.#closed) this.#options.onError(error, piece);
      return;
    }
    if (!this.#closed) this.#options.onVerified(piece, bytes);
  }
}
