import { Bitfield } from '../bitfield/bitfield.js';

interface PeerPieces {
  // undefined once the peer has every piece: seeds are counted once, not once per piece.
  bitfield: Bitfield | undefined;
}

/**
 * How many connected peers have each piece, fed by BITFIELD, HAVE, HAVE ALL, HAVE NONE and
 * disconnects. Peers that have everything are kept as one `seeds` count, so a seed joining
 * or leaving costs O(1) and leaves the rarity order of pieces as it was.
 */
export class Availability {
  readonly pieceCount: number;
  readonly #counts: Uint32Array;
  readonly #peers = new Map<string, PeerPieces>();
  readonly #onChange: (piece: number, count: number) => void;
  #seeds = 0;

  /** `onChange(piece, count)` is called after every change of a piece's non-seed count. */
  constructor(pieceCount: number, onChange: (piece: number, count: number) => void = () => {}) {
    this.pieceCount = pieceCount;
    this.#counts = new Uint32Array(pieceCount);
    this.#onChange = onChange;
  }

  /** Peers known to have every piece. */
  get seeds(): number {
    return this.#seeds;
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  /** Copies of `piece` among connected peers (seeds included). */
  of(piece: number): number {
    return this.#counts[piece]! + this.#seeds;
  }

  /** Copies of `piece` among peers that are not seeds: what orders pieces by rarity. */
  partial(piece: number): number {
    return this.#counts[piece]!;
  }

  knows(peer: string): boolean {
    return this.#peers.has(peer);
  }

  isSeed(peer: string): boolean {
    const state = this.#peers.get(peer);
    return state !== undefined && state.bitfield === undefined;
  }

  has(peer: string, piece: number): boolean {
    const state = this.#peers.get(peer);
    if (state === undefined) return false;
    return state.bitfield === undefined || state.bitfield.get(piece);
  }

  /** A copy of what the peer has (a full bitfield for a seed), or undefined for an unknown peer. */
  bitfieldOf(peer: string): Bitfield | undefined {
    const state = this.#peers.get(peer);
    if (state === undefined) return undefined;
    return state.bitfield === undefined ? Bitfield.full(this.pieceCount) : state.bitfield.copy();
  }

  /**
   * A BITFIELD. From a peer already known it is taken as a bulk HAVE (aria2 sends one in the
   * middle of a connection when many HAVEs are pending): bits are only ever added.
   */
  bitfield(peer: string, bitfield: Bitfield): void {
    if (bitfield.length !== this.pieceCount) throw new RangeError(`bitfield of ${bitfield.length} pieces for a torrent of ${this.pieceCount}`);
    const state = this.#peers.get(peer);
    if (state === undefined) {
      if (bitfield.isComplete) {
        this.#peers.set(peer, { bitfield: undefined });
        this.#seeds++;
        return;
      }
      const own = bitfield.copy();
      this.#peers.set(peer, { bitfield: own });
      for (let i = own.nextSet(0); i !== -1; i = own.nextSet(i + 1)) this.#add(i, 1);
      return;
    }
    if (state.bitfield === undefined) return;
    state.bitfield.union(bitfield, (i) => this.#add(i, 1));
    if (state.bitfield.isComplete) this.#promote(state);
  }

  /** A HAVE; returns whether it was news. */
  have(peer: string, piece: number): boolean {
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) throw new RangeError(`piece index ${piece} out of range`);
    let state = this.#peers.get(peer);
    if (state === undefined) {
      state = { bitfield: new Bitfield(this.pieceCount) };
      this.#peers.set(peer, state);
    }
    if (state.bitfield === undefined || !state.bitfield.set(piece)) return false;
    this.#add(piece, 1);
    if (state.bitfield.isComplete) this.#promote(state);
    return true;
  }

  /** A BEP 6 HAVE ALL (or a peer found to have completed). */
  haveAll(peer: string): void {
    const state = this.#peers.get(peer);
    if (state === undefined) {
      this.#peers.set(peer, { bitfield: undefined });
      this.#seeds++;
    } else if (state.bitfield !== undefined) {
      this.#promote(state);
    }
  }

  /** A BEP 6 HAVE NONE: the peer is known and has nothing (yet). */
  haveNone(peer: string): void {
    if (!this.#peers.has(peer)) this.#peers.set(peer, { bitfield: new Bitfield(this.pieceCount) });
  }

  /** The peer disconnected: its pieces no longer count. */
  gone(peer: string): void {
    const state = this.#peers.get(peer);
    if (state === undefined) return;
    this.#peers.delete(peer);
    if (state.bitfield === undefined) {
      this.#seeds--;
      return;
    }
    const bits = state.bitfield;
    for (let i = bits.nextSet(0); i !== -1; i = bits.nextSet(i + 1)) this.#add(i, -1);
  }

  /** Peers that have `piece` (seeds included). O(peers). */
  peersWith(piece: number): string[] {
    const out: string[] = [];
    for (const [peer, state] of this.#peers) if (state.bitfield === undefined || state.bitfield.get(piece)) out.push(peer);
    return out;
  }

  #promote(state: PeerPieces): void {
    const bits = state.bitfield;
    if (bits === undefined) return;
    state.bitfield = undefined;
    this.#seeds++;
    for (let i = bits.nextSet(0); i !== -1; i = bits.nextSet(i + 1)) this.#add(i, -1);
  }

  #add(piece: number, delta: number): void {
    const count = (this.#counts[piece] = this.#counts[piece]! + delta);
    this.#onChange(piece, count);
  }
}
