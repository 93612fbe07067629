/** What the choker needs to know about a connected peer at a rechoke. */
export interface ChokerPeer {
  readonly id: string;
  /** The peer is interested in us: only interested peers take upload slots. */
  readonly interested: boolean;
  /** Bytes per second we receive from the peer (tit-for-tat while leeching). */
  readonly downloadRate: number;
  /** Bytes per second we send to the peer (while seeding). */
  readonly uploadRate: number;
  /** The peer snubs us (no block for a long while, see `RequestQueue`): never a regular slot. */
  readonly snubbed?: boolean;
  /** When the connection was made (ms): new peers are three times as likely to be the optimistic unchoke. */
  readonly connectedAt: number;
}

export interface ChokeAction {
  readonly type: 'choke' | 'unchoke';
  readonly peer: string;
}

export interface ChokerOptions {
  /** Regular unchoke slots, besides the one optimistic slot. Default 4. */
  slots?: number;
  /** Default 10 s. */
  rechokeIntervalMs?: number;
  /** How long an optimistic unchoke lasts. Default 30 s. */
  optimisticIntervalMs?: number;
  /** A peer connected for less than this counts as new. Default 60 s. */
  newPeerMs?: number;
  /** Weight of a new peer in the optimistic draw. Default 3. */
  newPeerWeight?: number;
  /** How to fill regular slots while seeding. Default `fastest-upload`. */
  seedingMode?: 'fastest-upload' | 'round-robin';
  /** A source of numbers in [0, 1). Default `Math.random`. */
  random?: () => number;
}

export interface RechokeOptions {
  /** We have every wanted piece: rank by upload rate (or round robin) instead of download rate. */
  seeding?: boolean;
}

/**
 * BEP 3 choking: a few regular upload slots by tit-for-tat (download rate from the peer
 * while leeching; upload rate or round robin while seeding), plus one optimistic unchoke
 * rotated every 30 s. A state machine without I/O: it remembers who is unchoked and returns
 * the CHOKE and UNCHOKE messages to send. See NOTES.md.
 */
export class Choker {
  readonly #slots: number;
  readonly #rechokeIntervalMs: number;
  readonly #optimisticIntervalMs: number;
  readonly #newPeerMs: number;
  readonly #newPeerWeight: number;
  readonly #seedingMode: 'fastest-upload' | 'round-robin';
  readonly #random: () => number;
  readonly #unchoked = new Set<string>();
  // When each peer's choke state last changed (round robin serves the longest-waiting first).
  readonly #since = new Map<string, number>();
  #optimistic: string | undefined;
  #optimisticAt = -Infinity;
  #lastRechokeAt = -Infinity;

  constructor(options: ChokerOptions = {}) {
    this.#slots = options.slots ?? 4;
    if (!Number.isInteger(this.#slots) || this.#slots < 0) throw new RangeError(`slots must be a non-negative integer, got ${this.#slots}`);
    this.#rechokeIntervalMs = options.rechokeIntervalMs ?? 10_000;
    this.#optimisticIntervalMs = options.optimisticIntervalMs ?? 30_000;
    this.#newPeerMs = options.newPeerMs ?? 60_000;
    this.#newPeerWeight = options.newPeerWeight ?? 3;
    this.#seedingMode = options.seedingMode ?? 'fastest-upload';
    this.#random = options.random ?? Math.random;
  }

  /** Peers we currently let download from us. */
  get unchoked(): ReadonlySet<string> {
    return this.#unchoked;
  }

  get optimistic(): string | undefined {
    return this.#optimistic;
  }

  isUnchoked(peer: string): boolean {
    return this.#unchoked.has(peer);
  }

  /** A rechoke is due (every 10 s). The caller may also rechoke early, when an unchoked peer leaves or loses interest. */
  isDue(now: number): boolean {
    return now - this.#lastRechokeAt >= this.#rechokeIntervalMs;
  }

  get nextRechokeAt(): number {
    return this.#lastRechokeAt + this.#rechokeIntervalMs;
  }

  /** The peer disconnected: forget it without a message (there is no one to send it to). */
  remove(peer: string): void {
    this.#unchoked.delete(peer);
    this.#since.delete(peer);
    if (this.#optimistic === peer) this.#optimistic = undefined;
  }

  /**
   * Decides who is unchoked from now on. `peers` is every connected peer; one missing from
   * it is forgotten. Returns only changes: UNCHOKE for newly unchoked peers, CHOKE for the rest
   * of the previously unchoked.
   */
  rechoke(peers: readonly ChokerPeer[], now: number, options: RechokeOptions = {}): ChokeAction[] {
    this.#lastRechokeAt = now;
    const present = new Set(peers.map((p) => p.id));
    for (const id of [...this.#since.keys()]) if (!present.has(id)) this.remove(id);
    for (const peer of peers) if (!this.#since.has(peer.id)) this.#since.set(peer.id, peer.connectedAt);

    const regular = this.#regular(peers, now, options.seeding === true);
    const optimistic = this.#pickOptimistic(peers, regular, now);

    const target = new Set(regular);
    if (optimistic !== undefined) target.add(optimistic);
    const actions: ChokeAction[] = [];
    for (const peer of peers) {
      const was = this.#unchoked.has(peer.id);
      const will = target.has(peer.id);
      if (was === will) continue;
      actions.push({ type: will ? 'unchoke' : 'choke', peer: peer.id });
      if (will) this.#unchoked.add(peer.id);
      else this.#unchoked.delete(peer.id);
      this.#since.set(peer.id, now);
    }
    return actions;
  }

  #regular(peers: readonly ChokerPeer[], now: number, seeding: boolean): string[] {
    const eligible = peers.filter((p) => p.interested && p.snubbed !== true);
    // Ties go to the peers already in regular slots, then to the optimistic one, so that
    // equal rates do not make slots flap.
    const incumbent = (p: ChokerPeer): number => (!this.#unchoked.has(p.id) ? 2 : p.id === this.#optimistic ? 1 : 0);
    if (!seeding) {
      eligible.sort((a, b) => b.downloadRate - a.downloadRate || incumbent(a) - incumbent(b));
    } else if (this.#seedingMode === 'fastest-upload') {
      eligible.sort((a, b) => b.uploadRate - a.uploadRate || incumbent(a) - incumbent(b));
    } else {
      // Round robin: a peer keeps its slot for one optimistic period, then goes to the back;
      // choked peers are served in the order they have waited.
      const since = (p: ChokerPeer): number => this.#since.get(p.id) ?? now;
      const group = (p: ChokerPeer): number => (!this.#unchoked.has(p.id) ? 1 : now - since(p) < this.#optimisticIntervalMs ? 0 : 2);
      eligible.sort((a, b) => group(a) - group(b) || since(a) - since(b));
    }
    return eligible.slice(0, this.#slots).map((p) => p.id);
  }

  #pickOptimistic(peers: readonly ChokerPeer[], regular: readonly string[], now: number): string | undefined {
    const taken = new Set(regular);
    const current = this.#optimistic === undefined ? undefined : peers.find((p) => p.id === this.#optimistic);
    const fresh = now - this.#optimisticAt < this.#optimisticIntervalMs;
    if (current !== undefined && current.interested && !taken.has(current.id) && fresh) return current.id;

    let candidates = peers.filter((p) => p.interested && !taken.has(p.id));
    // At a rotation, the outgoing optimistic peer gives way if anyone else can have the slot.
    if (current !== undefined && candidates.length > 1) candidates = candidates.filter((p) => p.id !== current.id);
    this.#optimistic = this.#weightedDraw(candidates, now);
    this.#optimisticAt = now;
    return this.#optimistic;
  }

  #weightedDraw(candidates: readonly ChokerPeer[], now: number): string | undefined {
    if (candidates.length === 0) return undefined;
    const weights = candidates.map((p) => (now - p.connectedAt < this.#newPeerMs ? this.#newPeerWeight : 1));
    let x = this.#random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < candidates.length; i++) {
      x -= weights[i]!;
      if (x < 0) return candidates[i]!.id;
    }
    return candidates[candidates.length - 1]!.id;
  }
}
