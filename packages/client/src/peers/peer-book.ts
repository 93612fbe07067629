import { formatPeerAddress, normalizeHost, parsePeerAddress, peerAddress } from './peer-address.js';

/** Where we heard of a peer. */
export type PeerSource = 'tracker' | 'dht' | 'pex' | 'lsd' | 'magnet' | 'manual' | 'incoming';

export type PeerConnectionState = 'idle' | 'connecting' | 'connected';

/** A known peer, as `PeerBook` reports it (a snapshot: later changes do not show in it). */
export interface PeerRecord {
  /** `host:port` (`[v6]:port`): the key. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly sources: readonly PeerSource[];
  readonly state: PeerConnectionState;
  /** Failed dials in a row. */
  readonly failures: number;
  /** Not to be dialled before this time (ms). */
  readonly retryAt: number;
  readonly peerId: string | undefined;
}

export type AddResult = 'added' | 'known' | 'self' | 'banned' | 'invalid' | 'full';
export type ConnectedResult = 'ok' | 'self' | 'duplicate' | 'banned';

export interface PeerBookOptions {
  /** A source of numbers in [0, 1) for backoff jitter and tie-breaking. Default `Math.random`. */
  random?: () => number;
  /** Most addresses remembered: PEX and trackers are untrusted and could flood us. Default 2000. */
  maxPeers?: number;
  /** Wait after the first failed dial; doubled at each further failure. Default 15 s. */
  backoffBaseMs?: number;
  /** Longest wait between dials. Default 30 min. */
  backoffMaxMs?: number;
  /** Failed dials in a row after which an address is forgotten (manual peers never are). Default 6. */
  maxFailures?: number;
  /** Hash-failure strikes after which a host is banned. Default 3. */
  banAfterStrikes?: number;
  /** Our own peer id: a connection that answers with it is to ourselves. */
  ourPeerId?: string;
  /** Our own listening addresses (`host:port`), never to be dialled. */
  ourAddresses?: readonly string[];
}

interface Entry {
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly sources: Set<PeerSource>;
  state: PeerConnectionState;
  failures: number;
  retryAt: number;
  peerId: string | undefined;
}

/**
 * Every peer address we know for one torrent, from every source, deduplicated by host:port:
 * connection state, backoff after failed dials, bans by host after repeated hash-failure
 * strikes, and refusal of ourselves. `candidates` says whom to dial next; how many
 * connections to keep is the caller's call. No I/O: `now` (ms) is passed in.
 */
export class PeerBook {
  readonly #random: () => number;
  readonly #maxPeers: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #maxFailures: number;
  readonly #banAfterStrikes: number;
  readonly #entries = new Map<string, Entry>();
  readonly #strikes = new Map<string, number>();
  readonly #banned = new Set<string>();
  readonly #ourAddresses = new Set<string>();
  #ourPeerId: string | undefined;

  constructor(options: PeerBookOptions = {}) {
    this.#random = options.random ?? Math.random;
    this.#maxPeers = options.maxPeers ?? 2000;
    this.#backoffBaseMs = options.backoffBaseMs ?? 15_000;
    this.#backoffMaxMs = options.backoffMaxMs ?? 30 * 60_000;
    this.#maxFailures = options.maxFailures ?? 6;
    this.#banAfterStrikes = options.banAfterStrikes ?? 3;
    this.#ourPeerId = options.ourPeerId;
    for (const address of options.ourAddresses ?? []) this.addOurAddress(address);
  }

  get size(): number {
    return this.#entries.size;
  }

  get connectedCount(): number {
    return this.#count('connected');
  }

  get connectingCount(): number {
    return this.#count('connecting');
  }

  setOurPeerId(peerId: string): void {
    this.#ourPeerId = peerId;
  }

  /** One of our listening addresses: refused from now on, and forgotten if known. */
  addOurAddress(address: string): void {
    const parsed = parsePeerAddress(address);
    if (parsed === undefined) throw new RangeError(`not a host:port address: ${address}`);
    const key = formatPeerAddress(parsed);
    this.#ourAddresses.add(key);
    this.#entries.delete(key);
  }

  /** Learns of a peer. A known address gains the source; a new one is added unless it is ours, banned, invalid or the book is full. */
  add(host: string, port: number, source: PeerSource): AddResult {
    const parsed = peerAddress(host, port);
    if (parsed === undefined) return 'invalid';
    const address = formatPeerAddress(parsed);
    if (this.#ourAddresses.has(address)) return 'self';
    if (this.#banned.has(parsed.host)) return 'banned';
    const known = this.#entries.get(address);
    if (known !== undefined) {
      known.sources.add(source);
      return 'known';
    }
    if (this.#entries.size >= this.#maxPeers && !this.#evict(source)) return 'full';
    this.#entries.set(address, { address, host: parsed.host, port: parsed.port, sources: new Set([source]), state: 'idle', failures: 0, retryAt: -Infinity, peerId: undefined });
    return 'added';
  }

  get(address: string): PeerRecord | undefined {
    const entry = this.#entry(address);
    return entry === undefined ? undefined : PeerBook.#record(entry);
  }

  all(): PeerRecord[] {
    return [...this.#entries.values()].map((entry) => PeerBook.#record(entry));
  }

  remove(address: string): boolean {
    const entry = this.#entry(address);
    return entry !== undefined && this.#entries.delete(entry.address);
  }

  /**
   * Up to `limit` idle peers to dial now: not banned, not waiting out a backoff, not known only
   * from an incoming connection (its port was the remote's ephemeral one). Manual peers first,
   * then the fewest failures, ties broken at random.
   */
  candidates(now: number, limit: number): PeerRecord[] {
    const ready: { entry: Entry; tie: number }[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.state === 'idle' && entry.retryAt <= now && this.#dialable(entry)) ready.push({ entry, tie: this.#random() });
    }
    const rank = (e: Entry): number => (e.sources.has('manual') ? 0 : 1);
    ready.sort((a, b) => rank(a.entry) - rank(b.entry) || a.entry.failures - b.entry.failures || a.tie - b.tie);
    return ready.slice(0, Math.max(0, limit)).map(({ entry }) => PeerBook.#record(entry));
  }

  /** When the next idle peer's backoff ends (to schedule the next dial), or undefined if none waits. */
  nextRetryAt(now: number): number | undefined {
    let next: number | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.state !== 'idle' || entry.retryAt <= now || !this.#dialable(entry)) continue;
      if (next === undefined || entry.retryAt < next) next = entry.retryAt;
    }
    return next;
  }

  /** We are dialling it. Returns false unless it was known and idle. */
  connecting(address: string): boolean {
    const entry = this.#entry(address);
    if (entry === undefined || entry.state !== 'idle') return false;
    entry.state = 'connecting';
    return true;
  }

  /**
   * The handshake completed (dialled or incoming: add an incoming peer with source
   * `incoming` first). `self`: the peer id is ours, the address is remembered as ours;
   * `duplicate`: that peer id is already connected at another address; `banned`: its host
   * is. Anything but `ok` means: close the connection.
   */
  connected(address: string, peerId: string): ConnectedResult {
    const entry = this.#entry(address);
    if (entry === undefined) throw new RangeError(`unknown peer ${address}: add it first`);
    if (this.#ourPeerId !== undefined && peerId === this.#ourPeerId) {
      this.#entries.delete(entry.address);
      this.#ourAddresses.add(entry.address);
      return 'self';
    }
    if (this.#banned.has(entry.host)) {
      this.#entries.delete(entry.address);
      return 'banned';
    }
    for (const other of this.#entries.values()) {
      if (other !== entry && other.state === 'connected' && other.peerId === peerId) {
        entry.state = 'idle';
        return 'duplicate';
      }
    }
    entry.state = 'connected';
    entry.failures = 0;
    entry.peerId = peerId;
    return 'ok';
  }

  /**
   * A dial failed (refused, timed out, handshake broke). The peer waits out an exponential
   * backoff with jitter; after `maxFailures` in a row it is forgotten unless manual. Returns
   * when it may be dialled again, or undefined if it was forgotten.
   */
  failed(address: string, now: number): number | undefined {
    const entry = this.#entry(address);
    if (entry === undefined) return undefined;
    entry.state = 'idle';
    entry.peerId = undefined;
    entry.failures++;
    if (entry.failures >= this.#maxFailures && !entry.sources.has('manual')) {
      this.#entries.delete(entry.address);
      return undefined;
    }
    const exponential = this.#backoffBaseMs * 2 ** Math.min(entry.failures - 1, 30);
    const jittered = exponential * (0.75 + 0.5 * this.#random());
    entry.retryAt = now + Math.min(this.#backoffMaxMs, jittered);
    return entry.retryAt;
  }

  /**
   * Someone asked for this peer again (a user adding it by hand): it may be dialled at once,
   * its failed dials and backoff forgotten. Returns false, changing nothing, unless it is
   * known, idle and its host not banned.
   */
  retryNow(address: string): boolean {
    const entry = this.#entry(address);
    if (entry === undefined || entry.state !== 'idle' || this.#banned.has(entry.host)) return false;
    entry.failures = 0;
    entry.retryAt = -Infinity;
    return true;
  }

  /** A working connection ended. The peer may be dialled again after the base backoff. */
  disconnected(address: string, now: number): void {
    const entry = this.#entry(address);
    if (entry === undefined) return;
    if (this.#banned.has(entry.host)) {
      this.#entries.delete(entry.address);
      return;
    }
    entry.state = 'idle';
    entry.peerId = undefined;
    entry.retryAt = now + this.#backoffBaseMs;
  }

  /**
   * A piece this host contributed to failed its hash check. Returns its strike count and
   * whether it is now banned (then close its connections: `addressesOf(host)`).
   */
  strike(host: string): { strikes: number; banned: boolean } {
    const normal = normalizeHost(host) ?? host;
    const strikes = (this.#strikes.get(normal) ?? 0) + 1;
    this.#strikes.set(normal, strikes);
    if (strikes >= this.#banAfterStrikes) this.ban(normal);
    return { strikes, banned: this.#banned.has(normal) };
  }

  /** Bans a host (every port): it is never dialled and never accepted again. Its idle entries are forgotten. */
  ban(host: string): void {
    const normal = normalizeHost(host) ?? host;
    this.#banned.add(normal);
    for (const entry of [...this.#entries.values()]) if (entry.host === normal && entry.state === 'idle') this.#entries.delete(entry.address);
  }

  unban(host: string): void {
    const normal = normalizeHost(host) ?? host;
    this.#banned.delete(normal);
    this.#strikes.delete(normal);
  }

  isBanned(host: string): boolean {
    return this.#banned.has(normalizeHost(host) ?? host);
  }

  /** Known addresses on a host (to close a banned host's connections). */
  addressesOf(host: string): string[] {
    const normal = normalizeHost(host) ?? host;
    return [...this.#entries.values()].filter((e) => e.host === normal).map((e) => e.address);
  }

  #entry(address: string): Entry | undefined {
    const direct = this.#entries.get(address);
    if (direct !== undefined) return direct;
    const parsed = parsePeerAddress(address);
    return parsed === undefined ? undefined : this.#entries.get(formatPeerAddress(parsed));
  }

  #count(state: PeerConnectionState): number {
    let n = 0;
    for (const entry of this.#entries.values()) if (entry.state === state) n++;
    return n;
  }

  // Makes room for a new address: drops the idle, non-manual entry that failed most. A peer
  // that never failed is only pushed out for a manual or incoming one.
  #evict(source: PeerSource): boolean {
    const strong = source === 'manual' || source === 'incoming';
    let victim: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.state !== 'idle' || entry.sources.has('manual')) continue;
      if (victim === undefined || entry.failures > victim.failures) victim = entry;
    }
    if (victim === undefined || (victim.failures === 0 && !strong)) return false;
    this.#entries.delete(victim.address);
    return true;
  }

  #dialable(entry: Entry): boolean {
    return (entry.sources.size > 1 || !entry.sources.has('incoming')) && !this.#banned.has(entry.host);
  }

  static #record(entry: Entry): PeerRecord {
    return {
      address: entry.address,
      host: entry.host,
      port: entry.port,
      sources: [...entry.sources],
      state: entry.state,
      failures: entry.failures,
      retryAt: entry.retryAt,
      peerId: entry.peerId,
    };
  }
}
