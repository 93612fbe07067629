import type { WireMessage } from '@gtorr/wire';
import { Bitfield } from '../bitfield/bitfield.js';
import { RateMeter } from '../rate/rate-meter.js';
import type { TokenBucket } from '../rate/token-bucket.js';
import type { Peer } from './peer.js';
import type { Torrent } from './torrent.js';

// What every bucket up the chain (the torrent's, then the session's) lets through now.
function availableInChain(bucket: TokenBucket, now: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let b: TokenBucket | undefined = bucket; b !== undefined; b = b.parent) least = Math.min(least, b.available(now));
  return least;
}

type Message<T extends WireMessage['type']> = Extract<WireMessage, { type: T }>;

// Pieces hashed or being written, at most, before we stop asking peers for more: the disk
// sets the pace when it is slower than the network, and memory stays bounded.
const MAX_WRITE_BACKLOG = 12 * 1024 * 1024;
// ...but never less than a few pieces, so that torrents with big pieces keep the disk busy.
const MIN_BACKLOG_PIECES = 4;

/**
 * The download side of a torrent's peers: what each has, our interest, the requests in
 * flight (as deep as the peer's rate calls for), and blocks gathered into pieces.
 */
export class Downloading {
  readonly #torrent: Torrent;

  constructor(torrent: Torrent) {
    this.#torrent = torrent;
  }

  /** Too many hashed pieces wait for the disk: ask for nothing more until they are written. */
  get writeBacklogFull(): boolean {
    const t = this.#torrent;
    const limit = Math.max(MAX_WRITE_BACKLOG, MIN_BACKLOG_PIECES * (t.metainfo?.pieceLength ?? 0));
    return (t.writer?.bytes ?? 0) + (t.buffers?.bytes ?? 0) > limit;
  }

  /** BITFIELD, HAVE, HAVE ALL, HAVE NONE, once the piece count is known. */
  pieces(peer: Peer, message: Message<'bitfield' | 'have' | 'have-all' | 'have-none'>): void {
    const t = this.#torrent;
    const picker = t.picker!;
    const count = picker.pieceCount;
    switch (message.type) {
      case 'bitfield': {
        let bitfield: Bitfield;
        try {
          bitfield = Bitfield.fromWire(message.bitfield, count);
        } catch {
          peer.connection.destroy();
          return;
        }
        picker.peerBitfield(peer.id, bitfield);
        if (peer.have === undefined) peer.have = bitfield;
        else peer.have.union(bitfield);
        break;
      }
      case 'have': {
        if (message.index >= count) {
          peer.connection.destroy();
          return;
        }
        picker.peerHave(peer.id, message.index);
        peer.have ??= new Bitfield(count);
        peer.have.set(message.index);
        if (!peer.connection.amInterested && picker.wants(message.index)) this.#interested(peer);
        if (peer.isSeed && t.isComplete) peer.connection.destroy();
        return;
      }
      case 'have-all':
        picker.peerHaveAll(peer.id);
        peer.have = Bitfield.full(count);
        break;
      case 'have-none':
        picker.peerHaveNone(peer.id);
        peer.have ??= new Bitfield(count);
        break;
    }
    if (peer.isSeed && t.isComplete) {
      peer.connection.destroy();
      return;
    }
    this.updateInterest(peer);
  }

  /** Sends INTERESTED or NOT INTERESTED when that changed. O(pieces): not per block. */
  updateInterest(peer: Peer): void {
    const picker = this.#torrent.picker;
    if (picker === undefined) return;
    const wanted = picker.isInteresting(peer.id);
    if (wanted && !peer.connection.amInterested) this.#interested(peer);
    else if (!wanted && peer.connection.amInterested) peer.connection.notInterested();
  }

  choked(peer: Peer): void {
    const picker = this.#torrent.picker;
    const dropped = peer.requests.choke();
    if (picker === undefined) return;
    for (const block of dropped) picker.requestReleased(peer.id, block);
    if (dropped.length > 0) this.fillAll();
  }

  unchoked(peer: Peer): void {
    // Before its first block, the rate would be averaged over the time it choked us, and the
    // request pipeline (which follows the rate) would start tiny: measure from the unchoke.
    if (peer.downloaded.total === 0) peer.downloaded = new RateMeter({ startedAt: this.#torrent.context.now() });
    peer.requests.unchoke();
    this.fill(peer);
  }

  rejected(peer: Peer, message: Message<'reject'>): void {
    const picker = this.#torrent.picker;
    const block = { piece: message.index, begin: message.begin };
    if (picker === undefined || !peer.requests.rejected(block)) return;
    picker.requestReleased(peer.id, block);
    this.fillAll();
  }

  hint(peer: Peer, message: Message<'allowed-fast' | 'suggest'>): void {
    const picker = this.#torrent.picker;
    if (picker === undefined || message.index >= picker.pieceCount) return;
    if (message.type === 'allowed-fast') picker.peerAllowedFast(peer.id, message.index);
    else picker.peerSuggest(peer.id, message.index);
    this.fill(peer);
  }

  /** A PIECE message: counted, gathered into its piece, and the piece sent to be checked when whole. */
  block(peer: Peer, message: Message<'piece'>): void {
    const t = this.#torrent;
    const picker = t.picker;
    if (picker === undefined) return;
    const now = t.context.now();
    const length = message.block.length;
    peer.downloaded.add(length, now);
    t.downloadMeter.add(length, now);
    t.countDownloaded(length);
    const block = { piece: message.index, begin: message.begin, length };
    peer.requests.received(block, now);
    const arrival = picker.blockReceived(peer.id, block);
    if (arrival.status === 'new') t.buffers!.write(message.index, message.begin, message.block);
    for (const other of arrival.cancel) {
      const rival = t.peerMap.get(other);
      if (rival?.requests.cancel(block) === true) rival.connection.cancel(block.piece, block.begin, length);
    }
    if (arrival.pieceComplete) {
      const data = t.buffers!.take(message.index);
      if (data !== undefined) t.writer!.submit(message.index, data);
    }
    this.fill(peer);
  }

  /** Sends as many requests as the peer's queue has room for, in batches once the pipeline is deep. */
  fill(peer: Peer): void {
    const t = this.#torrent;
    const picker = t.picker;
    const { connection } = peer;
    if (picker === undefined || connection.destroyed || !connection.amInterested || this.writeBacklogFull) return;
    const now = t.context.now();
    const rate = peer.downloaded.rate(now);
    let room = peer.requests.room(rate);
    if (room <= 0) return;
    // One pick per block is wasted work at speed: top the pipeline up a quarter at a time.
    if (peer.requests.size > 0 && room < Math.max(1, peer.requests.depth(rate) >> 2)) return;
    const budget = availableInChain(t.downloadBucket, now);
    if (Number.isFinite(budget)) room = Math.min(room, Math.floor(budget / picker.blockLength));
    if (room <= 0) return;
    const blocks = picker.pick(peer.id, room, { choked: connection.peerChoking });
    for (const block of peer.requests.add(blocks, now)) {
      connection.request(block.piece, block.begin, block.length);
      t.downloadBucket.consume(block.length, now);
    }
  }

  fillAll(): void {
    for (const peer of this.#torrent.peerMap.values()) this.fill(peer);
  }

  /** Once a second: requests that timed out go back to the picker (and are cancelled), interest is rechecked. */
  tick(peer: Peer, now: number): void {
    const picker = this.#torrent.picker;
    if (picker === undefined) return;
    const { timedOut } = peer.requests.tick(now);
    for (const block of timedOut) {
      picker.requestReleased(peer.id, block);
      peer.connection.cancel(block.piece, block.begin, block.length);
    }
    if (peer.connection.amInterested || peer.have !== undefined) this.updateInterest(peer);
    this.fill(peer);
  }

  #interested(peer: Peer): void {
    peer.connection.interested();
    this.fill(peer);
  }
}
