import type { BlockRequest } from '../picker/piece-download.js';

/**
 * libtorrent's default `reqq`: a peer that sends no `reqq` in its extended handshake is
 * assumed to take this many; beyond its limit a libtorrent seed drops requests silently, so a
 * deeper pipeline stalls instead of failing.
 */
export const DEFAULT_PEER_QUEUE_LIMIT = 250;
/** The most we ever queue at one peer, whatever `reqq` it claims (libtorrent's high-performance seed takes 2000). */
export const MAX_PEER_QUEUE_LIMIT = 2000;

export interface RequestQueueOptions {
  /** Default 16 KiB. */
  blockLength?: number;
  /** Keep this much time's worth of blocks in flight at the peer's current rate. Default 3000 ms (libtorrent's request_queue_time). */
  targetLatencyMs?: number;
  /** Fewest requests in flight to an unchoked, unsnubbed peer. Default 2. */
  minDepth?: number;
  /** The peer's `reqq` (BEP 10 extended handshake). Default 250. */
  peerQueueLimit?: number;
  /** A request times out when nothing arrived from the peer for this long after it was sent. Default 30 s. */
  requestTimeoutMs?: number;
  /** A request overtaken by this many later ones is taken as dropped by the peer. Default 32. */
  overtakeLimit?: number;
  /** No block for this long while requests were outstanding: the peer snubs us. Default 60 s. */
  snubTimeoutMs?: number;
  /** Both sides set the BEP 6 fast extension bit: a choke does not cancel requests, REJECTs do. */
  fast?: boolean;
}

interface Outstanding {
  readonly block: BlockRequest;
  readonly sentAt: number;
  overtaken: number;
}

function keyOf(block: { piece: number; begin: number }): string {
  return `${block.piece}:${block.begin}`;
}

/**
 * Our outstanding requests to one peer, and how many more to send: the depth follows the
 * peer's download rate (rate × target latency ÷ block length, between `minDepth` and the
 * peer's `reqq`). Detects timeouts and snubbing; handles BEP 6 REJECT and choke. No I/O:
 * `now` (milliseconds) is passed in.
 */
export class RequestQueue {
  readonly blockLength: number;
  readonly fast: boolean;
  readonly #targetLatencyMs: number;
  readonly #minDepth: number;
  readonly #requestTimeoutMs: number;
  readonly #overtakeLimit: number;
  readonly #snubTimeoutMs: number;
  readonly #outstanding = new Map<string, Outstanding>();
  #peerQueueLimit = DEFAULT_PEER_QUEUE_LIMIT;
  #choked = true;
  #snubbed = false;
  #lastBlockAt = -Infinity;
  // When we began waiting for a block that has not come; a timeout does not end the wait.
  #waitingSince: number | undefined;

  constructor(options: RequestQueueOptions = {}) {
    this.blockLength = options.blockLength ?? 16 * 1024;
    this.fast = options.fast ?? false;
    this.#targetLatencyMs = options.targetLatencyMs ?? 3000;
    this.#minDepth = options.minDepth ?? 2;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#overtakeLimit = options.overtakeLimit ?? 32;
    this.#snubTimeoutMs = options.snubTimeoutMs ?? 60_000;
    if (options.peerQueueLimit !== undefined) this.setPeerQueueLimit(options.peerQueueLimit);
  }

  /** The peer's `reqq` from its extended handshake; values beyond 2000 are held to 2000. */
  setPeerQueueLimit(reqq: number): void {
    if (!Number.isSafeInteger(reqq) || reqq < 1) throw new RangeError(`reqq must be a positive integer, got ${reqq}`);
    this.#peerQueueLimit = Math.min(reqq, MAX_PEER_QUEUE_LIMIT);
  }

  get peerQueueLimit(): number {
    return this.#peerQueueLimit;
  }

  get choked(): boolean {
    return this.#choked;
  }

  /** Latched when the peer snubs us; cleared by the next block it sends. */
  get snubbed(): boolean {
    return this.#snubbed;
  }

  get size(): number {
    return this.#outstanding.size;
  }

  /** Outstanding requests, oldest first (copies of the records, not live views). */
  list(): BlockRequest[] {
    return [...this.#outstanding.values()].map((entry) => entry.block);
  }

  has(block: { piece: number; begin: number }): boolean {
    return this.#outstanding.has(keyOf(block));
  }

  /** How many requests to keep in flight at `downloadRate` (bytes per second from this peer). A snubbed peer gets 1. */
  depth(downloadRate: number): number {
    if (this.#snubbed) return 1;
    const wanted = Math.ceil((Math.max(0, downloadRate) * this.#targetLatencyMs) / 1000 / this.blockLength);
    const floor = Math.min(this.#minDepth, this.#peerQueueLimit);
    return Math.min(this.#peerQueueLimit, Math.max(floor, wanted));
  }

  /**
   * How many more requests to send now. 0 while the peer chokes us, unless the fast
   * extension lets us ask for allowed-fast pieces (the picker restricts which).
   */
  room(downloadRate: number): number {
    if (this.#choked && !this.fast) return 0;
    return Math.max(0, this.depth(downloadRate) - this.#outstanding.size);
  }

  /** Records requests as sent at `now`; returns those added (one already outstanding is skipped). */
  add(blocks: readonly BlockRequest[], now: number): BlockRequest[] {
    const added: BlockRequest[] = [];
    for (const block of blocks) {
      const key = keyOf(block);
      if (this.#outstanding.has(key)) continue;
      this.#outstanding.set(key, { block, sentAt: now, overtaken: 0 });
      added.push(block);
    }
    if (added.length > 0) this.#waitingSince ??= now;
    return added;
  }

  /** A PIECE arrived. Returns whether we had asked for it. Any block is proof of life: it clears snubbing. */
  received(block: { piece: number; begin: number }, now: number): boolean {
    this.#lastBlockAt = Math.max(this.#lastBlockAt, now);
    this.#snubbed = false;
    const key = keyOf(block);
    const requested = this.#outstanding.has(key);
    if (requested) {
      // Requests sent before this one and still unanswered were overtaken.
      for (const [k, entry] of this.#outstanding) {
        if (k === key) break;
        entry.overtaken++;
      }
      this.#outstanding.delete(key);
    }
    this.#waitingSince = this.#outstanding.size > 0 ? now : undefined;
    return requested;
  }

  /** We sent CANCEL (endgame: another peer delivered it). Returns whether it was outstanding. */
  cancel(block: { piece: number; begin: number }): boolean {
    return this.#drop(keyOf(block));
  }

  /** A BEP 6 REJECT REQUEST. Returns whether we had asked for that block (if not, the peer misbehaves). */
  rejected(block: { piece: number; begin: number }): boolean {
    return this.#drop(keyOf(block));
  }

  /**
   * The peer choked us. Without the fast extension that cancels every request (BEP 3): they
   * are returned for others to take. With it, requests stand until served or REJECTed.
   */
  choke(): BlockRequest[] {
    this.#choked = true;
    if (this.fast) return [];
    return this.clear();
  }

  unchoke(): void {
    this.#choked = false;
  }

  /** Forgets every outstanding request (the connection closed); returns them. */
  clear(): BlockRequest[] {
    const all = this.list();
    this.#outstanding.clear();
    this.#waitingSince = undefined;
    return all;
  }

  /**
   * Call about once a second. Returns the requests that timed out (now forgotten: give them to
   * other peers; send CANCEL to this one) and whether the peer is now snubbing us.
   */
  tick(now: number): { timedOut: BlockRequest[]; snubbed: boolean } {
    const timedOut: BlockRequest[] = [];
    for (const [key, entry] of this.#outstanding) {
      const silentFor = now - Math.max(entry.sentAt, this.#lastBlockAt);
      if (silentFor >= this.#requestTimeoutMs || entry.overtaken >= this.#overtakeLimit) {
        timedOut.push(entry.block);
        this.#outstanding.delete(key);
      }
    }
    if (this.#waitingSince !== undefined && now - this.#waitingSince >= this.#snubTimeoutMs) this.#snubbed = true;
    return { timedOut, snubbed: this.#snubbed };
  }

  #drop(key: string): boolean {
    const had = this.#outstanding.delete(key);
    if (this.#outstanding.size === 0) this.#waitingSince = undefined;
    return had;
  }
}
