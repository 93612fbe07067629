import { decodeMetadataMessage, decodePexMessage, encodeMetadataMessage, encodePexMessage, METADATA_PIECE_LENGTH, PexFlag, UT_METADATA, UT_PEX, type ExtendedHandshake, type PexPeer } from '@gtorr/wire';
import { MetadataAssembler } from '../metadata/metadata-assembler.js';
import { parsePeerAddress } from '../peers/peer-address.js';
import { pexDiff } from '../pex/pex-diff.js';
import { MAX_PEER_QUEUE_LIMIT } from '../requests/request-queue.js';
import type { Peer } from './peer.js';
import type { Torrent } from './torrent.js';

// ut_metadata requests outstanding at one peer.
const METADATA_REQUESTS_PER_PEER = 4;
// Contacts taken from one PEX message: the rest could be a flood.
const MAX_PEX_ADDED = 50;

/** BEP 10 extensions on a torrent's peers: ut_metadata (BEP 9) both ways, and ut_pex (BEP 11). */
export class Extensions {
  readonly #torrent: Torrent;

  constructor(torrent: Torrent) {
    this.#torrent = torrent;
  }

  get pexEnabled(): boolean {
    const t = this.#torrent;
    return t.options.pex !== false && t.metainfo?.private !== true;
  }

  handshake(peer: Peer, handshake: ExtendedHandshake): void {
    if (handshake.p !== undefined && handshake.p > 0) peer.listenPort = handshake.p;
    if (handshake.reqq !== undefined && handshake.reqq > 0) peer.requests.setPeerQueueLimit(Math.min(handshake.reqq, MAX_PEER_QUEUE_LIMIT));
    this.#requestMetadata(peer, this.#torrent.context.now());
  }

  message(peer: Peer, payload: Uint8Array, name: string | undefined): void {
    if (name === UT_METADATA) this.#metadata(peer, payload);
    else if (name === UT_PEX && this.pexEnabled) this.#pex(payload);
  }

  tick(peer: Peer, now: number): void {
    this.#requestMetadata(peer, now);
    const interval = this.#torrent.options.pexIntervalMs ?? 60_000;
    if (this.pexEnabled && now - peer.lastPexAt >= interval && peer.connection.remoteExtended?.m[UT_PEX] !== undefined) {
      peer.lastPexAt = now;
      this.#sendPex(peer);
    }
  }

  #metadata(peer: Peer, payload: Uint8Array): void {
    const t = this.#torrent;
    const message = decodeMetadataMessage(payload);
    if (message === undefined) return;
    if (message.type === 'request') {
      const info = t.infoBytes;
      const begin = message.piece * METADATA_PIECE_LENGTH;
      if (info === undefined || begin >= info.length || message.piece < 0) peer.connection.sendExtended(UT_METADATA, encodeMetadataMessage({ type: 'reject', piece: message.piece }));
      else peer.connection.sendExtended(UT_METADATA, encodeMetadataMessage({ type: 'data', piece: message.piece, totalSize: info.length, data: info.subarray(begin, begin + METADATA_PIECE_LENGTH) }));
      return;
    }
    const assembler = t.metadataAssembler;
    peer.metadataPending = Math.max(0, peer.metadataPending - 1);
    if (assembler === undefined) return;
    if (message.type === 'reject') {
      assembler.rejected(message.piece);
      return;
    }
    if (message.totalSize !== assembler.size || !assembler.receive(message.piece, message.data)) return;
    if (!assembler.complete) {
      this.#requestMetadata(peer, t.context.now());
      return;
    }
    const bytes = assembler.verified();
    if (bytes === undefined) {
      t.emit('warning', new Error('metadata from peers does not match the info hash: fetching it again'));
      return;
    }
    t.metadataPhase.metadataReceived(bytes);
  }

  #requestMetadata(peer: Peer, now: number): void {
    const t = this.#torrent;
    if (t.infoBytes !== undefined) return;
    const remote = peer.connection.remoteExtended;
    const size = remote?.metadataSize;
    if (remote?.m[UT_METADATA] === undefined || size === undefined || size <= 0 || size > 8 * 1024 * 1024) return;
    t.metadataAssembler ??= new MetadataAssembler(size, t.infoHash);
    const assembler = t.metadataAssembler;
    if (assembler.size !== size) return;
    while (peer.metadataPending < METADATA_REQUESTS_PER_PEER) {
      const piece = assembler.next(now);
      if (piece === undefined) return;
      peer.connection.sendExtended(UT_METADATA, encodeMetadataMessage({ type: 'request', piece }));
      peer.metadataPending++;
    }
  }

  #pex(payload: Uint8Array): void {
    let added: readonly { host: string; port: number }[];
    try {
      added = decodePexMessage(payload).added;
    } catch {
      return;
    }
    this.#torrent.learnPeers(added.slice(0, MAX_PEX_ADDED), 'pex');
  }

  #sendPex(peer: Peer): void {
    const current = new Map<string, PexPeer>();
    for (const other of this.#torrent.peerMap.values()) {
      const address = other.dialAddress;
      const parsed = address === undefined ? undefined : parsePeerAddress(address);
      if (other === peer || parsed === undefined) continue;
      const flags = (other.isSeed ? PexFlag.SEED : 0) | (other.connection.direction === 'outgoing' ? PexFlag.REACHABLE : 0);
      current.set(address!, { ...parsed, flags });
    }
    const { added, dropped } = pexDiff(peer.pexSent, current);
    if (added.length === 0 && dropped.length === 0) return;
    peer.connection.sendExtended(UT_PEX, encodePexMessage({ added, dropped }));
  }
}
