import { toHex } from '@gtorr/metainfo';
import type { HashRange, WireMessage } from '@gtorr/wire';
import { answerHashRequest, pieceTree, type PieceTree } from '../metadata/hash-proof.js';
import type { Peer } from './peer.js';
import type { Torrent } from './torrent.js';

type Message<T extends WireMessage['type']> = Extract<WireMessage, { type: T }>;

// Hash requests a peer may make that we cannot answer before it is dropped: a few come from
// honest races (asking before we have the layers), thousands do not.
const MAX_REJECTED_HASH_REQUESTS = 1000;

/**
 * BEP 52 hash messages on a torrent's peers, both ways: answers HASH REQUESTs from the piece
 * layers we hold, and, while a magnet's v2 piece layers are being fetched (the torrent's
 * `pieceLayerFetcher`), asks peers that speak v2 for them and hands their answers over.
 */
export class HashExchange {
  readonly #torrent: Torrent;
  // Trees built from our piece layers, by pieces root: built when first asked for, kept
  // (about twice the layer's size) since a peer asks for a file's ranges one after another.
  readonly #trees = new Map<string, PieceTree>();

  constructor(torrent: Torrent) {
    this.#torrent = torrent;
  }

  /** A peer asks us for hashes: answered from our piece layers, or rejected. */
  request(peer: Peer, message: Message<'hash-request'>): void {
    const range = rangeOf(message);
    const tree = this.#treeOf(range.piecesRoot);
    const hashes = tree === undefined ? undefined : answerHashRequest(tree, range);
    if (hashes !== undefined) {
      peer.connection.send({ type: 'hashes', ...range, hashes });
      return;
    }
    peer.connection.send({ type: 'hash-reject', ...range });
    peer.badHashRequests++;
    if (peer.badHashRequests > MAX_REJECTED_HASH_REQUESTS) peer.connection.destroy();
  }

  /** A HASHES message: kept if it answers our request and proves itself; a peer whose hashes do not verify gets a strike. */
  hashes(peer: Peer, message: Message<'hashes'>): void {
    const t = this.#torrent;
    const fetcher = t.pieceLayerFetcher;
    if (fetcher === undefined) return;
    const outcome = fetcher.received(peer.id, rangeOf(message), message.hashes, t.context.now());
    if (outcome === 'bad') t.wiring.strike(peer.id, 'sent piece-layer hashes that do not match the pieces root');
    if (fetcher.complete) t.metadataPhase.pieceLayersReceived();
    else this.fillAll();
  }

  rejected(peer: Peer, message: Message<'hash-reject'>): void {
    const t = this.#torrent;
    t.pieceLayerFetcher?.rejected(peer.id, rangeOf(message), t.context.now());
    this.fillAll();
  }

  /** Asks `peer` for the ranges it may be asked for now, if it speaks v2. */
  fill(peer: Peer): void {
    const t = this.#torrent;
    const fetcher = t.pieceLayerFetcher;
    if (fetcher === undefined || peer.connection.destroyed || !this.#speaksV2(peer)) return;
    const now = t.context.now();
    for (let range = fetcher.next(peer.id, now); range !== undefined; range = fetcher.next(peer.id, now)) peer.connection.send({ type: 'hash-request', ...range });
  }

  fillAll(): void {
    for (const peer of this.#torrent.peerMap.values()) this.fill(peer);
  }

  /** Once a second, before the peers' own ticks: late requests go to other peers. */
  tick(now: number): void {
    const fetcher = this.#torrent.pieceLayerFetcher;
    if (fetcher === undefined) return;
    fetcher.tick(now);
    this.fillAll();
  }

  peerGone(peer: Peer): void {
    const fetcher = this.#torrent.pieceLayerFetcher;
    if (fetcher === undefined) return;
    fetcher.peerGone(peer.id);
    this.fillAll();
  }

  // A v2-only torrent is named by its v2 info hash in the handshake: every peer of it speaks
  // v2 (libtorrent sets the reserved bit only to offer the upgrade of a hybrid's v1 connection).
  #speaksV2(peer: Peer): boolean {
    return peer.connection.remote?.features.v2 === true || this.#torrent.infoHash.v1 === null;
  }

  #treeOf(piecesRoot: Uint8Array): PieceTree | undefined {
    const metainfo = this.#torrent.metainfo;
    const rootHex = toHex(piecesRoot);
    const layer = metainfo?.pieceLayers?.get(rootHex);
    if (metainfo === undefined || layer === undefined) return undefined;
    let tree = this.#trees.get(rootHex);
    if (tree === undefined) {
      tree = pieceTree(layer, metainfo.pieceLength);
      this.#trees.set(rootHex, tree);
    }
    return tree;
  }
}

// The fields of a hash message without its type (and hashes), with the root copied: the
// message's bytes are a view into a socket chunk.
function rangeOf(message: HashRange): HashRange {
  const { piecesRoot, baseLayer, index, length, proofLayers } = message;
  return { piecesRoot: piecesRoot.slice(), baseLayer, index, length, proofLayers };
}
