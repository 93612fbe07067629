import { PieceDownload, type BlockRequest } from './piece-download.js';

/** What a block's arrival means. */
export interface BlockArrival {
  /** `new`: keep it; `duplicate`: we had it already; `unexpected`: not a block we could want (drop it). */
  status: 'new' | 'duplicate' | 'unexpected';
  /** Every block of the piece is here: verify it, then call `pieceVerified` or `pieceFailed`. */
  pieceComplete: boolean;
  /** Other peers that were asked for this block (endgame): send them CANCEL. */
  cancel: string[];
}

/**
 * The pieces in progress and their per-block state. A piece enters when its first block is
 * requested (or arrives unasked) and leaves when it is verified, fails, or is left with nothing
 * requested and nothing received.
 */
export class InFlight {
  readonly #downloads = new Map<number, PieceDownload>();
  readonly #lengthOf: (piece: number) => number;
  readonly #blockLength: number;

  constructor(lengthOf: (piece: number) => number, blockLength: number) {
    this.#lengthOf = lengthOf;
    this.#blockLength = blockLength;
  }

  get size(): number {
    return this.#downloads.size;
  }

  has(piece: number): boolean {
    return this.#downloads.has(piece);
  }

  get(piece: number): PieceDownload | undefined {
    return this.#downloads.get(piece);
  }

  pieces(): number[] {
    return [...this.#downloads.keys()];
  }

  values(): IterableIterator<PieceDownload> {
    return this.#downloads.values();
  }

  delete(piece: number): void {
    this.#downloads.delete(piece);
  }

  /** The piece's download, begun if need be. */
  start(piece: number): PieceDownload {
    let download = this.#downloads.get(piece);
    if (download === undefined) {
      download = new PieceDownload(piece, this.#lengthOf(piece), this.#blockLength);
      this.#downloads.set(piece, download);
    }
    return download;
  }

  /** Requests the piece's free blocks from `peer`, in order, until `out` holds `count`. */
  take(download: PieceDownload, peer: string, out: BlockRequest[], count: number): void {
    for (let block = 0; block < download.blockCount && out.length < count; block++) {
      if (!download.isFree(block)) continue;
      download.request(block, peer);
      out.push(download.blockRequest(block));
    }
    this.#dropIfIdle(download);
  }

  /** Forgets one request; returns whether `peer` had it. */
  release(peer: string, block: { piece: number; begin: number }): boolean {
    const download = this.#downloads.get(block.piece);
    if (download === undefined) return false;
    const index = download.blockAt(block.begin);
    if (index === -1) return false;
    const released = download.release(index, peer);
    this.#dropIfIdle(download);
    return released;
  }

  /** Forgets every request of `peer`; returns them. */
  releasePeer(peer: string): BlockRequest[] {
    const released: BlockRequest[] = [];
    for (const download of [...this.#downloads.values()]) {
      for (let block = 0; block < download.blockCount; block++) {
        if (download.release(block, peer)) released.push(download.blockRequest(block));
      }
      this.#dropIfIdle(download);
    }
    return released;
  }

  /** Records a block of a piece we lack (the caller checks that), begun if need be. */
  receive(peer: string, block: { piece: number; begin: number; length?: number }): BlockArrival {
    const existing = this.#downloads.get(block.piece);
    const download = existing ?? new PieceDownload(block.piece, this.#lengthOf(block.piece), this.#blockLength);
    const index = download.blockAt(block.begin);
    if (index === -1 || (block.length !== undefined && block.length !== download.blockRequest(index).length)) {
      return { status: 'unexpected', pieceComplete: false, cancel: [] };
    }
    if (existing === undefined) this.#downloads.set(block.piece, download);
    const { fresh, others } = download.receive(index, peer);
    if (!fresh) return { status: 'duplicate', pieceComplete: false, cancel: others };
    return { status: 'new', pieceComplete: download.complete, cancel: others };
  }

  /**
   * Endgame: blocks of `eligible` pieces asked of others but not of `peer`, fewer than
   * `maxRequesters` times, the least duplicated first; requested from `peer` until `out` holds `count`.
   */
  duplicate(peer: string, out: BlockRequest[], count: number, maxRequesters: number, eligible: (piece: number) => boolean): void {
    const candidates: { download: PieceDownload; block: number; requesters: number }[] = [];
    for (const download of this.#downloads.values()) {
      if (!eligible(download.piece)) continue;
      for (let block = 0; block < download.blockCount; block++) {
        if (download.isReceived(block) || download.isRequestedBy(block, peer)) continue;
        const requesters = download.requesters(block).length;
        if (requesters < maxRequesters) candidates.push({ download, block, requesters });
      }
    }
    candidates.sort((a, b) => a.requesters - b.requesters);
    for (const { download, block } of candidates) {
      if (out.length >= count) return;
      download.request(block, peer);
      out.push(download.blockRequest(block));
    }
  }

  #dropIfIdle(download: PieceDownload): void {
    if (download.idle) this.#downloads.delete(download.piece);
  }
}
