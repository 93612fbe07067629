// The tracker's memory: swarms keyed by info hash, peers keyed by peer id and address. Pure:
// time comes in as `now` (ms), randomness from an injected source, so tests drive it directly.
import { encodeCompactPeer } from '../protocol/compact-peers.js';
import type { AnnounceEvent } from '../types.js';

/** A peer as the tracker keeps it. */
export interface SwarmPeer {
  readonly peerId: Uint8Array;
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  readonly left: number;
  readonly uploaded: number;
  readonly downloaded: number;
  /** When it last announced (ms). */
  readonly lastSeen: number;
  /** Its compact form (6 or 18 bytes), made once. */
  readonly compact: Uint8Array;
}

/** Counts of one swarm (the figures of a scrape). */
export interface SwarmCounts {
  readonly complete: number;
  readonly incomplete: number;
  readonly downloaded: number;
}

export interface SwarmAnnounce {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly host: string;
  readonly port: number;
  readonly left: number;
  readonly uploaded: number;
  readonly downloaded: number;
  readonly event: AnnounceEvent | undefined;
  /** Peers wanted back (already capped by the caller). */
  readonly numwant: number;
}

export interface SwarmAnnounceResult extends SwarmCounts {
  /** Other peers, a random sample of at most `numwant`, of the families asked for. */
  readonly peers: SwarmPeer[];
}

export interface SwarmStoreOptions {
  /** A peer not heard from for this long (ms) is dropped. */
  readonly peerTtlMs: number;
  readonly maxSwarms: number;
  readonly maxPeersPerSwarm: number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** Why the store could not take a peer. */
export type SwarmRefusal = 'too many swarms' | 'swarm is full';

interface Swarm {
  readonly peers: Map<string, SwarmPeer & { counted: boolean }>;
  downloaded: number;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

export class SwarmStore {
  readonly #swarms = new Map<string, Swarm>();
  readonly #options: SwarmStoreOptions;

  constructor(options: SwarmStoreOptions) {
    this.#options = options;
  }

  /**
   * Records an announce and picks peers for the answer. `stopped` removes the peer;
   * `completed` counts a download once per peer. A seed is sent leechers only: seeds have
   * nothing to give each other. Returns a refusal when a limit would be exceeded.
   */
  announce(input: SwarmAnnounce, now: number, families: ReadonlySet<4 | 6>): SwarmAnnounceResult | SwarmRefusal {
    const infoKey = hex(input.infoHash);
    let swarm = this.#swarms.get(infoKey);
    if (swarm === undefined) {
      if (input.event === 'stopped') return { complete: 0, incomplete: 0, downloaded: 0, peers: [] };
      if (this.#swarms.size >= this.#options.maxSwarms && !this.#evictEmptySwarm(now)) return 'too many swarms';
      swarm = { peers: new Map(), downloaded: 0 };
      this.#swarms.set(infoKey, swarm);
    }
    this.#expire(swarm, now);
    // Keyed by address too, so that nobody elsewhere can replace or stop a peer by its id.
    const peerKey = `${hex(input.peerId)}@${input.host}`;
    const previous = swarm.peers.get(peerKey);
    if (input.event === 'stopped') {
      swarm.peers.delete(peerKey);
      return { ...counts(swarm), peers: [] };
    }
    const compact = encodeCompactPeer(input.host, input.port);
    if (compact === undefined) return { ...counts(swarm), peers: [] };
    if (previous === undefined && swarm.peers.size >= this.#options.maxPeersPerSwarm) return 'swarm is full';
    let counted = previous?.counted ?? false;
    if (input.event === 'completed' && !counted) {
      swarm.downloaded++;
      counted = true;
    }
    const family = compact.length === 6 ? 4 : 6;
    swarm.peers.set(peerKey, { peerId: input.peerId.slice(), host: input.host, port: input.port, family, left: input.left, uploaded: input.uploaded, downloaded: input.downloaded, lastSeen: now, compact, counted });
    const seed = input.left === 0;
    const candidates: SwarmPeer[] = [];
    for (const [key, peer] of swarm.peers) {
      if (key !== peerKey && families.has(peer.family) && !(seed && peer.left === 0)) candidates.push(peer);
    }
    return { ...counts(swarm), peers: sample(candidates, input.numwant, this.#options.random) };
  }

  /** The counts of one swarm (zeros for an unknown one). */
  counts(infoHash: Uint8Array, now: number): SwarmCounts {
    const swarm = this.#swarms.get(hex(infoHash));
    if (swarm === undefined) return { complete: 0, incomplete: 0, downloaded: 0 };
    this.#expire(swarm, now);
    return counts(swarm);
  }

  /** The live peers of one swarm. */
  peers(infoHash: Uint8Array, now: number): SwarmPeer[] {
    const swarm = this.#swarms.get(hex(infoHash));
    if (swarm === undefined) return [];
    this.#expire(swarm, now);
    return [...swarm.peers.values()];
  }

  /** Drops every peer whose time is up, in every swarm. */
  expire(now: number): void {
    for (const swarm of this.#swarms.values()) this.#expire(swarm, now);
  }

  /** How many swarms are known. */
  get size(): number {
    return this.#swarms.size;
  }

  #expire(swarm: Swarm, now: number): void {
    for (const [key, peer] of swarm.peers) if (now - peer.lastSeen > this.#options.peerTtlMs) swarm.peers.delete(key);
  }

  // Empty swarms are kept (their download count is worth keeping) until room is needed.
  #evictEmptySwarm(now: number): boolean {
    for (const [key, swarm] of this.#swarms) {
      this.#expire(swarm, now);
      if (swarm.peers.size === 0) {
        this.#swarms.delete(key);
        return true;
      }
    }
    return false;
  }
}

function counts(swarm: Swarm): SwarmCounts {
  let complete = 0;
  for (const peer of swarm.peers.values()) if (peer.left === 0) complete++;
  return { complete, incomplete: swarm.peers.size - complete, downloaded: swarm.downloaded };
}

/** A uniform random sample of `n` items (partial Fisher-Yates; shuffles `items` in place). */
function sample<T>(items: T[], n: number, random: () => number): T[] {
  if (n >= items.length) return items;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (items.length - i));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items.slice(0, n);
}
