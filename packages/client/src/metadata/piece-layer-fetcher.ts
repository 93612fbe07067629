import { HASH_SIZE_V2, toHex, type Metainfo } from '@gtorr/metainfo';
import type { HashRange } from '@gtorr/wire';
import { pieceLayerRequests, verifyHashes } from './hash-proof.js';

// A hash request a peer has not answered for this long may be asked of another.
const REQUEST_TIMEOUT_MS = 10_000;
// A peer that refused a range (or answered it wrongly) is not asked for it again this soon:
// it may have the layer later (a leecher that gets it meanwhile), but not at once.
const REFUSED_RETRY_MS = 30_000;
/** Hash requests outstanding at one peer, at most. */
export const HASH_REQUESTS_PER_PEER = 2;

/** What became of a HASHES message. */
export type HashesOutcome = 'verified' | 'bad' | 'unexpected';

interface Chunk {
  readonly rootHex: string;
  readonly range: HashRange;
  /** Hashes of real pieces this range covers (the rest of it is padding). */
  readonly pieces: number;
  readonly treeLayers: number;
  hashes: Uint8Array | undefined;
  /** Peers asked and not yet answered, with when. */
  readonly asked: Map<string, number>;
  /** Peers that refused it or answered it wrongly, with when. */
  readonly refused: Map<string, number>;
}

/**
 * The piece layers a v2 torrent's info dictionary leaves out (a magnet link's), fetched
 * from peers with BEP 52 hash requests and each range proved against its file's pieces
 * root before it is kept. No I/O: the caller sends the requests it is told to, hands over
 * the answers, and calls `tick` now and then.
 */
export class PieceLayerFetcher {
  readonly #chunks: Chunk[] = [];
  readonly #byKey = new Map<string, Chunk>();
  readonly #pending = new Map<string, number>();
  #missing = 0;

  constructor(metainfo: Metainfo) {
    for (const file of metainfo.files) {
      const root = file.piecesRoot;
      if (root === undefined || file.length <= metainfo.pieceLength) continue;
      const rootHex = toHex(root);
      if (metainfo.pieceLayers?.has(rootHex) === true || this.#chunks.some((c) => c.rootHex === rootHex)) continue;
      const pieceCount = Math.ceil(file.length / metainfo.pieceLength);
      const treeLayers = Math.ceil(Math.log2(pieceCount));
      for (const range of pieceLayerRequests(root, pieceCount, metainfo.pieceLength)) {
        const chunk: Chunk = { rootHex, range, pieces: Math.min(range.length, pieceCount - range.index), treeLayers, hashes: undefined, asked: new Map(), refused: new Map() };
        this.#chunks.push(chunk);
        this.#byKey.set(keyOf(range), chunk);
      }
    }
    this.#missing = this.#chunks.length;
  }

  get complete(): boolean {
    return this.#missing === 0;
  }

  /** Requests outstanding at `peer`. */
  pending(peer: string): number {
    return this.#pending.get(peer) ?? 0;
  }

  /** A range to ask `peer` for now (one nobody is being asked, that it has not refused lately), marked as asked; undefined when none. */
  next(peer: string, now: number): HashRange | undefined {
    if (this.pending(peer) >= HASH_REQUESTS_PER_PEER) return undefined;
    for (const chunk of this.#chunks) {
      if (chunk.hashes !== undefined || chunk.asked.size > 0) continue;
      const refusedAt = chunk.refused.get(peer);
      if (refusedAt !== undefined && now - refusedAt < REFUSED_RETRY_MS) continue;
      chunk.asked.set(peer, now);
      this.#pending.set(peer, this.pending(peer) + 1);
      return chunk.range;
    }
    return undefined;
  }

  /**
   * A HASHES message from `peer`: `verified` when it answers a request of ours to it and
   * proves itself (the hashes are copied and kept), `bad` when it answers one but does not
   * prove itself (the range is asked of someone else), `unexpected` when it answers nothing
   * we asked it.
   */
  received(peer: string, range: HashRange, hashes: Uint8Array, now: number): HashesOutcome {
    const chunk = this.#byKey.get(keyOf(range));
    if (chunk === undefined || !chunk.asked.has(peer)) return 'unexpected';
    this.#answered(chunk, peer);
    if (chunk.hashes !== undefined) return 'verified';
    if (!verifyHashes(chunk.range, hashes, chunk.range.piecesRoot, chunk.treeLayers)) {
      chunk.refused.set(peer, now);
      return 'bad';
    }
    chunk.hashes = hashes.slice(0, chunk.pieces * HASH_SIZE_V2);
    this.#missing--;
    return 'verified';
  }

  /** A HASH REJECT from `peer`: the range may be asked of another at once. */
  rejected(peer: string, range: HashRange, now: number): void {
    const chunk = this.#byKey.get(keyOf(range));
    if (chunk === undefined || !chunk.asked.has(peer)) return;
    this.#answered(chunk, peer);
    chunk.refused.set(peer, now);
  }

  /** `peer` is gone: what it was asked is free for others. */
  peerGone(peer: string): void {
    for (const chunk of this.#chunks) chunk.asked.delete(peer);
    this.#pending.delete(peer);
  }

  /** Requests unanswered for too long are free for others; their peers are taken as having refused. Returns those peers. */
  tick(now: number): string[] {
    const late: string[] = [];
    for (const chunk of this.#chunks) {
      for (const [peer, at] of chunk.asked) {
        if (now - at < REQUEST_TIMEOUT_MS) continue;
        this.#answered(chunk, peer);
        chunk.refused.set(peer, now);
        late.push(peer);
      }
    }
    return late;
  }

  /** Once complete: each fetched layer (the hashes of a file's pieces, 32 bytes each), by the hex of its pieces root. Fresh buffers. */
  pieceLayers(): Map<string, Uint8Array> {
    if (!this.complete) throw new RangeError('the piece layers are not all here yet');
    const parts = new Map<string, Uint8Array[]>();
    for (const chunk of this.#chunks) {
      const list = parts.get(chunk.rootHex) ?? [];
      list.push(chunk.hashes!);
      parts.set(chunk.rootHex, list);
    }
    const layers = new Map<string, Uint8Array>();
    for (const [rootHex, list] of parts) layers.set(rootHex, concat(list));
    return layers;
  }

  #answered(chunk: Chunk, peer: string): void {
    chunk.asked.delete(peer);
    const left = this.pending(peer) - 1;
    if (left > 0) this.#pending.set(peer, left);
    else this.#pending.delete(peer);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function keyOf(range: HashRange): string {
  return `${toHex(range.piecesRoot)}/${range.baseLayer}/${range.index}/${range.length}/${range.proofLayers}`;
}
