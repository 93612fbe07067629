import { Bitfield } from '../bitfield/bitfield.js';
import { Availability } from './availability.js';
import { checkPriority, piecePrioritiesFromFiles, type FileSpan } from './file-priorities.js';
import { InFlight, type BlockArrival } from './in-flight.js';
import type { BlockRequest, PieceDownload } from './piece-download.js';
import { MAX_PRIORITY, PieceOrder, orderKey } from './piece-order.js';

/** BEP 3 practice: every client asks for 16 KiB blocks, and many refuse larger ones. */
export const DEFAULT_BLOCK_LENGTH = 16 * 1024;
export const DEFAULT_PRIORITY = 4;

// Bounds on what one peer may make us remember: BEP 6 suggests about 10 allowed-fast pieces.
const MAX_ALLOWED_FAST = 64;
const MAX_SUGGESTED = 16;

export interface PiecePickerOptions {
  pieceLength: number;
  totalLength: number;
  /** Default 16 KiB. */
  blockLength?: number;
  /** A source of numbers in [0, 1) for tie-breaking; inject a seeded one in tests. Default `Math.random`. */
  random?: () => number;
  /** Pieces picked at random (not rarest first) until this many are verified, to have something to trade quickly. Default 4. */
  randomFirstPieces?: number;
  /** In endgame, the most peers asked for one block at once. Default 3. */
  maxEndgameRequesters?: number;
  /** Pieces already verified (resume data). Copied. */
  have?: Bitfield;
}

export interface PickOptions {
  /** The peer chokes us: only its BEP 6 allowed-fast pieces may be asked for. */
  choked?: boolean;
}

export interface SequentialOptions {
  /** First piece of interest (the playhead); default 0. */
  from?: number;
  /** Pieces from the first missing one on that are picked in order; beyond it, rarest first. Default: all. */
  window?: number;
}

export type { BlockArrival };

interface PeerHints {
  allowedFast: Set<number>;
  suggested: number[];
}

/**
 * Decides which blocks to ask each peer for: partial pieces first, then suggested pieces,
 * then random pieces until a few are done, then rarest first within priority; a sequential
 * mode for streaming; endgame duplicates once every missing block is asked for.
 * A state machine without I/O: the caller reports what peers have and what arrived.
 * See NOTES.md for the algorithm.
 */
export class PiecePicker {
  readonly pieceCount: number;
  readonly pieceLength: number;
  readonly totalLength: number;
  readonly blockLength: number;
  readonly #random: () => number;
  readonly #randomFirst: number;
  readonly #maxEndgame: number;
  readonly #have: Bitfield;
  readonly #priority: Uint8Array;
  readonly #availability: Availability;
  readonly #order: PieceOrder;
  readonly #inFlight: InFlight;
  readonly #hints = new Map<string, PeerHints>();
  readonly #failures = new Map<number, number>();
  #dirty = true;
  #sequential: { from: number; cursor: number; window: number } | undefined;

  constructor(options: PiecePickerOptions) {
    const { pieceLength, totalLength, blockLength = DEFAULT_BLOCK_LENGTH } = options;
    if (!Number.isSafeInteger(pieceLength) || pieceLength <= 0) throw new RangeError(`piece length must be a positive integer, got ${pieceLength}`);
    if (!Number.isSafeInteger(totalLength) || totalLength < 0) throw new RangeError(`total length must be a non-negative integer, got ${totalLength}`);
    if (!Number.isSafeInteger(blockLength) || blockLength <= 0) throw new RangeError(`block length must be a positive integer, got ${blockLength}`);
    this.pieceLength = pieceLength;
    this.totalLength = totalLength;
    this.blockLength = blockLength;
    this.pieceCount = Math.ceil(totalLength / pieceLength);
    this.#random = options.random ?? Math.random;
    this.#randomFirst = options.randomFirstPieces ?? 4;
    this.#maxEndgame = Math.max(1, options.maxEndgameRequesters ?? 3);
    this.#have = new Bitfield(this.pieceCount);
    if (options.have !== undefined) this.#have.union(options.have);
    this.#priority = new Uint8Array(this.pieceCount).fill(DEFAULT_PRIORITY);
    this.#order = new PieceOrder(this.pieceCount);
    this.#inFlight = new InFlight((piece) => this.pieceLengthOf(piece), blockLength);
    this.#availability = new Availability(this.pieceCount, (piece, count) => {
      if (!this.#dirty && this.#order.has(piece)) this.#order.setKey(piece, orderKey(this.#priority[piece]!, count));
    });
  }

  // ---- what peers have ----------------------------------------------------------------

  peerBitfield(peer: string, bitfield: Bitfield): void {
    this.#availability.bitfield(peer, bitfield);
  }

  peerHave(peer: string, piece: number): void {
    this.#availability.have(peer, piece);
  }

  peerHaveAll(peer: string): void {
    this.#availability.haveAll(peer);
  }

  peerHaveNone(peer: string): void {
    this.#availability.haveNone(peer);
  }

  /** BEP 6 ALLOWED FAST: the peer will serve this piece even while it chokes us. */
  peerAllowedFast(peer: string, piece: number): void {
    this.#checkPiece(piece);
    const hints = this.#hintsOf(peer);
    if (hints.allowedFast.size < MAX_ALLOWED_FAST) hints.allowedFast.add(piece);
  }

  /** BEP 6 SUGGEST PIECE: preferred over rarest first when we start a new piece from this peer. */
  peerSuggest(peer: string, piece: number): void {
    this.#checkPiece(piece);
    const list = this.#hintsOf(peer).suggested;
    if (list.includes(piece)) return;
    if (list.length >= MAX_SUGGESTED) list.shift();
    list.push(piece);
  }

  /** The peer disconnected. Returns the requests it held, now free for others. */
  peerGone(peer: string): BlockRequest[] {
    this.#availability.gone(peer);
    this.#hints.delete(peer);
    return this.#inFlight.releasePeer(peer);
  }

  peerHas(peer: string, piece: number): boolean {
    return this.#availability.has(peer, piece);
  }

  /** Copies of `piece` among connected peers. */
  availability(piece: number): number {
    this.#checkPiece(piece);
    return this.#availability.of(piece);
  }

  /** Whether the peer has a piece we want and lack: whether to send INTERESTED. */
  isInteresting(peer: string): boolean {
    if (!this.#availability.knows(peer)) return false;
    if (this.#availability.isSeed(peer)) return this.#wantedMissing() > 0;
    const bits = this.#availability.bitfieldOf(peer)!;
    for (let i = bits.nextSet(0); i !== -1; i = bits.nextSet(i + 1)) if (this.wants(i)) return true;
    return false;
  }

  // ---- what we want -------------------------------------------------------------------

  /** We lack the piece and its priority is above 0. */
  wants(piece: number): boolean {
    return this.#priority[piece]! > 0 && !this.#have.get(piece);
  }

  hasPiece(piece: number): boolean {
    return this.#have.get(piece);
  }

  /** A copy of the verified pieces (what our BITFIELD says). */
  bitfield(): Bitfield {
    return this.#have.copy();
  }

  priority(piece: number): number {
    this.#checkPiece(piece);
    return this.#priority[piece]!;
  }

  /** 0 skips the piece; 1..7, higher first. Takes effect at the next pick. */
  setPiecePriority(piece: number, priority: number): void {
    this.#checkPiece(piece);
    checkPriority(priority);
    if (this.#priority[piece] === priority) return;
    this.#priority[piece] = priority;
    this.#prioritiesChanged();
  }

  setPiecePriorities(priorities: Uint8Array): void {
    if (priorities.length !== this.pieceCount) throw new RangeError(`${priorities.length} priorities for ${this.pieceCount} pieces`);
    for (const priority of priorities) checkPriority(priority);
    this.#priority.set(priorities);
    this.#prioritiesChanged();
  }

  /** Maps file priorities to pieces (see `piecePrioritiesFromFiles`): a piece any wanted file touches is wanted. */
  setFilePriorities(files: readonly FileSpan[], priorities: readonly number[]): void {
    this.setPiecePriorities(piecePrioritiesFromFiles(files, priorities, this.pieceLength, this.totalLength));
  }

  /** Streaming: pick in piece order from `from`, within `window` pieces of the first missing one; `false` returns to rarest first. */
  setSequential(options: SequentialOptions | false): void {
    if (options === false) {
      this.#sequential = undefined;
      return;
    }
    const from = options.from ?? 0;
    const window = options.window ?? this.pieceCount;
    if (!Number.isInteger(from) || from < 0 || from > this.pieceCount) throw new RangeError(`sequential start ${from} out of range`);
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`sequential window must be a positive integer, got ${window}`);
    this.#sequential = { from, cursor: from, window };
  }

  // ---- picking ------------------------------------------------------------------------

  /**
   * Up to `count` blocks to ask `peer` for, marked as requested by it. Only pieces the peer
   * has and we want; while it chokes us, only its allowed-fast pieces. In endgame, blocks
   * already asked of others (each at most `maxEndgameRequesters` times).
   */
  pick(peer: string, count: number, options: PickOptions = {}): BlockRequest[] {
    const out: BlockRequest[] = [];
    if (count <= 0 || !this.#availability.knows(peer)) return out;
    this.#refresh();
    const hints = this.#hints.get(peer);
    if (options.choked === true) {
      if (hints === undefined) return out;
      for (const piece of hints.allowedFast) {
        if (out.length >= count) return out;
        if (this.wants(piece) && this.peerHas(peer, piece)) this.#inFlight.take(this.#inFlight.start(piece), peer, out, count);
      }
      if (out.length < count && this.isEndgame) this.#pickEndgame(peer, out, count, hints.allowedFast);
      return out;
    }
    if (this.#sequential !== undefined) this.#pickSequential(peer, out, count);
    if (out.length < count) this.#pickPartials(peer, out, count);
    if (out.length < count && hints !== undefined) this.#pickSuggested(peer, hints, out, count);
    if (out.length < count) this.#pickNew(peer, out, count);
    if (out.length < count && this.isEndgame) this.#pickEndgame(peer, out, count);
    return out;
  }

  /** Every block still missing is asked for (or here): duplicates are now allowed. */
  get isEndgame(): boolean {
    this.#refresh();
    const missing = this.#order.size;
    if (missing === 0) return false;
    let started = 0;
    for (const download of this.#inFlight.values()) {
      if (!this.wants(download.piece)) continue;
      if (download.free > 0) return false;
      started++;
    }
    return started === missing;
  }

  /** Pieces with per-block state (in progress or awaiting verification). */
  get downloading(): number[] {
    return this.#inFlight.pieces();
  }

  /** Blocks of `piece` already here, or 0 when it is not in progress. */
  receivedBlocks(piece: number): number {
    return this.#inFlight.get(piece)?.received ?? 0;
  }

  // ---- outcomes -----------------------------------------------------------------------

  /**
   * A PIECE message arrived. An unrequested block of a piece we lack is accepted too (it may
   * answer a request that timed out); one that is not a block boundary of a real piece is not.
   */
  blockReceived(peer: string, block: { piece: number; begin: number; length?: number }): BlockArrival {
    const { piece } = block;
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) return { status: 'unexpected', pieceComplete: false, cancel: [] };
    if (this.#have.get(piece)) return { status: 'duplicate', pieceComplete: false, cancel: [] };
    return this.#inFlight.receive(peer, block);
  }

  /**
   * Forget `peer`'s request for a block: we cancelled it, the peer rejected it (BEP 6), it
   * timed out, or a choke dropped it. Returns whether the peer had it; the block is free again
   * unless another peer was asked too.
   */
  requestReleased(peer: string, block: { piece: number; begin: number }): boolean {
    return this.#inFlight.release(peer, block);
  }

  /**
   * Who delivered each block of a piece in progress (undefined for a block not here), so a
   * hash failure can later be pinned on the blocks that differ from the good copy.
   */
  blockSenders(piece: number): (string | undefined)[] {
    const download = this.#inFlight.get(piece);
    if (download === undefined) return [];
    return Array.from({ length: download.blockCount }, (_, block) => download.deliveredBy(block));
  }

  /** The piece's hash matched (or resume data says we have it). */
  pieceVerified(piece: number): void {
    this.#checkPiece(piece);
    if (!this.#have.set(piece)) return;
    this.#inFlight.delete(piece);
    this.#failures.delete(piece);
    if (!this.#dirty) this.#order.remove(piece);
  }

  /**
   * The piece's hash did not match: its blocks are thrown away and it will be downloaded
   * again. Returns the peers that delivered its blocks (to count strikes against) and how
   * many times this piece has failed.
   */
  pieceFailed(piece: number): { contributors: string[]; failures: number } {
    this.#checkPiece(piece);
    const download = this.#inFlight.get(piece);
    this.#inFlight.delete(piece);
    const failures = (this.#failures.get(piece) ?? 0) + 1;
    this.#failures.set(piece, failures);
    return { contributors: download?.contributors() ?? [], failures };
  }

  // ---- sizes --------------------------------------------------------------------------

  pieceLengthOf(piece: number): number {
    this.#checkPiece(piece);
    return piece === this.pieceCount - 1 ? this.totalLength - piece * this.pieceLength : this.pieceLength;
  }

  /** Bytes of wanted pieces, and how many of them are verified. O(pieces): call it for a progress line, not per block. */
  progress(): { bytesWanted: number; bytesDone: number; piecesWanted: number; piecesDone: number } {
    let bytesWanted = 0;
    let bytesDone = 0;
    let piecesWanted = 0;
    let piecesDone = 0;
    for (let piece = 0; piece < this.pieceCount; piece++) {
      if (this.#priority[piece] === 0) continue;
      const length = this.pieceLengthOf(piece);
      piecesWanted++;
      bytesWanted += length;
      if (this.#have.get(piece)) {
        piecesDone++;
        bytesDone += length;
      }
    }
    return { bytesWanted, bytesDone, piecesWanted, piecesDone };
  }

  // ---- internals ----------------------------------------------------------------------

  #refresh(): void {
    if (!this.#dirty) return;
    this.#order.rebuild((piece) => (this.wants(piece) ? orderKey(this.#priority[piece]!, this.#availability.partial(piece)) : -1));
    this.#dirty = false;
  }

  // The order is rebuilt at the next pick; the sequential cursor may have to move back.
  #prioritiesChanged(): void {
    this.#dirty = true;
    if (this.#sequential !== undefined) this.#sequential.cursor = this.#sequential.from;
  }

  #wantedMissing(): number {
    this.#refresh();
    return this.#order.size;
  }

  #pickSequential(peer: string, out: BlockRequest[], count: number): void {
    const sequential = this.#sequential!;
    let cursor = sequential.cursor;
    while (cursor < this.pieceCount && !this.wants(cursor)) cursor++;
    sequential.cursor = cursor;
    const end = Math.min(this.pieceCount, cursor + sequential.window);
    for (let piece = cursor; piece < end && out.length < count; piece++) {
      if (this.wants(piece) && this.peerHas(peer, piece)) this.#inFlight.take(this.#inFlight.start(piece), peer, out, count);
    }
  }

  // Finish what is started: higher priority first, then the pieces closest to complete.
  #pickPartials(peer: string, out: BlockRequest[], count: number): void {
    const partials: PieceDownload[] = [];
    for (const download of this.#inFlight.values()) {
      if (download.free > 0 && this.wants(download.piece) && this.peerHas(peer, download.piece)) partials.push(download);
    }
    partials.sort((a, b) => this.#priority[b.piece]! - this.#priority[a.piece]! || a.free - b.free || a.piece - b.piece);
    for (const download of partials) {
      if (out.length >= count) return;
      this.#inFlight.take(download, peer, out, count);
    }
  }

  #pickSuggested(peer: string, hints: PeerHints, out: BlockRequest[], count: number): void {
    hints.suggested = hints.suggested.filter((piece) => this.wants(piece));
    for (const piece of hints.suggested) {
      if (out.length >= count) return;
      if (!this.#inFlight.has(piece) && this.peerHas(peer, piece)) this.#inFlight.take(this.#inFlight.start(piece), peer, out, count);
    }
  }

  // New pieces: bucket by bucket (rarest first), or priority band by band while still in the
  // random-first phase; a random starting point inside each range breaks ties.
  #pickNew(peer: string, out: BlockRequest[], count: number): void {
    const order = this.#order;
    const randomFirst = this.#have.count < this.#randomFirst;
    const step = randomFirst ? orderKey(MAX_PRIORITY - 1, 0) - orderKey(MAX_PRIORITY, 0) : 1;
    for (let key = 0; key < PieceOrder.keyCount && out.length < count; key += step) {
      const start = order.bucketStart(key);
      const length = order.bucketEnd(key + step - 1) - start;
      if (length === 0) continue;
      const offset = Math.floor(this.#random() * length);
      for (let j = 0; j < length && out.length < count; j++) {
        const piece = order.at(start + ((offset + j) % length));
        if (!this.#inFlight.has(piece) && this.peerHas(peer, piece)) this.#inFlight.take(this.#inFlight.start(piece), peer, out, count);
      }
    }
  }

  // Endgame: blocks asked of others but not of this peer, the least duplicated first.
  #pickEndgame(peer: string, out: BlockRequest[], count: number, only?: Set<number>): void {
    const eligible = (piece: number): boolean => this.wants(piece) && this.peerHas(peer, piece) && (only === undefined || only.has(piece));
    this.#inFlight.duplicate(peer, out, count, this.#maxEndgame, eligible);
  }

  #hintsOf(peer: string): PeerHints {
    let hints = this.#hints.get(peer);
    if (hints === undefined) {
      hints = { allowedFast: new Set(), suggested: [] };
      this.#hints.set(peer, hints);
    }
    return hints;
  }

  #checkPiece(piece: number): void {
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) throw new RangeError(`piece index ${piece} out of range 0..${this.pieceCount - 1}`);
  }
}
