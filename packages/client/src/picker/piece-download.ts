/** A block to ask a peer for: the REQUEST (and CANCEL, REJECT) message's three fields. */
export interface BlockRequest {
  readonly piece: number;
  readonly begin: number;
  readonly length: number;
}

const FREE = 0;
const REQUESTED = 1;
const RECEIVED = 2;

/**
 * Per-block state of one piece in progress: who was asked for each block, and who delivered
 * it. The picker keeps one of these only while a piece is being downloaded, so memory follows
 * the pieces in flight, not the torrent's size.
 */
export class PieceDownload {
  readonly piece: number;
  /** Length of this piece in bytes (the last piece may be shorter). */
  readonly length: number;
  readonly blockLength: number;
  readonly blockCount: number;
  readonly #state: Uint8Array;
  readonly #requesters: (string[] | undefined)[];
  readonly #deliveredBy: (string | undefined)[];
  #free: number;
  #received = 0;

  constructor(piece: number, length: number, blockLength: number) {
    this.piece = piece;
    this.length = length;
    this.blockLength = blockLength;
    this.blockCount = Math.ceil(length / blockLength);
    this.#state = new Uint8Array(this.blockCount);
    this.#requesters = new Array<string[] | undefined>(this.blockCount);
    this.#deliveredBy = new Array<string | undefined>(this.blockCount);
    this.#free = this.blockCount;
  }

  /** Blocks neither requested nor received. */
  get free(): number {
    return this.#free;
  }

  get received(): number {
    return this.#received;
  }

  /** Every block is here: the piece is ready to be verified. */
  get complete(): boolean {
    return this.#received === this.blockCount;
  }

  /** Nothing received and nothing asked for: the download can be dropped at no cost. */
  get idle(): boolean {
    return this.#received === 0 && this.#free === this.blockCount;
  }

  isFree(block: number): boolean {
    return this.#state[block] === FREE;
  }

  isReceived(block: number): boolean {
    return this.#state[block] === RECEIVED;
  }

  /** The peers with an outstanding request for `block`. */
  requesters(block: number): readonly string[] {
    return this.#requesters[block] ?? [];
  }

  isRequestedBy(block: number, peer: string): boolean {
    return this.#requesters[block]?.includes(peer) ?? false;
  }

  /** The block index `begin` names, or -1 when `begin` is not the start of a block of this piece. */
  blockAt(begin: number): number {
    if (!Number.isInteger(begin) || begin < 0 || begin % this.blockLength !== 0) return -1;
    const block = begin / this.blockLength;
    return block < this.blockCount ? block : -1;
  }

  blockRequest(block: number): BlockRequest {
    const begin = block * this.blockLength;
    return { piece: this.piece, begin, length: Math.min(this.blockLength, this.length - begin) };
  }

  /** Records that `peer` was asked for `block` (a second requester is an endgame duplicate). */
  request(block: number, peer: string): void {
    const list = this.#requesters[block];
    if (list === undefined) this.#requesters[block] = [peer];
    else if (!list.includes(peer)) list.push(peer);
    if (this.#state[block] === FREE) {
      this.#state[block] = REQUESTED;
      this.#free--;
    }
  }

  /** Forgets `peer`'s request for `block` (cancelled, rejected, timed out, choked); returns whether it had one. */
  release(block: number, peer: string): boolean {
    const list = this.#requesters[block];
    if (list === undefined) return false;
    const at = list.indexOf(peer);
    if (at === -1) return false;
    list.splice(at, 1);
    if (list.length === 0) {
      this.#requesters[block] = undefined;
      if (this.#state[block] === REQUESTED) {
        this.#state[block] = FREE;
        this.#free++;
      }
    }
    return true;
  }

  /** Forgets every request of `peer` in this piece; returns how many there were. */
  releasePeer(peer: string): number {
    let released = 0;
    for (let block = 0; block < this.blockCount; block++) if (this.release(block, peer)) released++;
    return released;
  }

  /**
   * Records `block` as delivered by `peer`. Returns whether it is new, and the other peers
   * still asked for it (in endgame: the ones to send CANCEL to).
   */
  receive(block: number, peer: string): { fresh: boolean; others: string[] } {
    const list = this.#requesters[block] ?? [];
    this.#requesters[block] = undefined;
    const others = list.filter((p) => p !== peer);
    const state = this.#state[block];
    if (state === RECEIVED) return { fresh: false, others };
    if (state === FREE) this.#free--;
    this.#state[block] = RECEIVED;
    this.#deliveredBy[block] = peer;
    this.#received++;
    return { fresh: true, others };
  }

  /** The distinct peers that delivered blocks of this piece, in block order. */
  contributors(): string[] {
    const seen = new Set<string>();
    for (const peer of this.#deliveredBy) if (peer !== undefined) seen.add(peer);
    return [...seen];
  }

  /** Who delivered `block`, if it is here. */
  deliveredBy(block: number): string | undefined {
    return this.#deliveredBy[block];
  }
}
