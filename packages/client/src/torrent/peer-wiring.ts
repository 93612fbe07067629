import { toHex } from '@gtorr/metainfo';
import type { PeerConnection, WireMessage } from '@gtorr/wire';
import { allowedFastSet } from '@gtorr/wire';
import { HashFailures } from '../download/hash-failures.js';
import { parsePeerAddress } from '../peers/peer-address.js';
import { Downloading } from './downloading.js';
import { Extensions } from './extensions.js';
import { HashExchange } from './hash-exchange.js';
import { Peer } from './peer.js';
import { Serving } from './serving.js';
import type { Torrent } from './torrent.js';

/** BEP 11: at most one PEX message a minute to each peer. */
export const PEX_INTERVAL_MS = 60_000;

/**
 * Connects the peers of one torrent to its parts: sets each connection up after the
 * handshake, routes its messages to the download side, the upload side and the extensions,
 * and tears it down when it closes.
 */
export class PeerWiring {
  readonly #torrent: Torrent;
  readonly downloading: Downloading;
  readonly serving: Serving;
  readonly extensions: Extensions;
  readonly hashes: HashExchange;
  readonly hashFailures = new HashFailures(16 * 1024);

  constructor(torrent: Torrent) {
    this.#torrent = torrent;
    this.downloading = new Downloading(torrent);
    this.serving = new Serving(torrent);
    this.extensions = new Extensions(torrent);
    this.hashes = new HashExchange(torrent);
  }

  /** A connection whose handshake is done: keep it as a peer, or close it. */
  attach(connection: PeerConnection, address: string, host: string): void {
    const t = this.#torrent;
    const remote = connection.remote!;
    const now = t.context.now();
    if (connection.destroyed) {
      t.book.disconnected(address, now);
      return;
    }
    const peerId = toHex(remote.peerId);
    let verdict = t.book.connected(address, peerId);
    if (verdict === 'duplicate' && this.#replaces(connection, peerId)) verdict = t.book.connected(address, peerId);
    if (verdict !== 'ok' || t.peerMap.has(address) || t.peerMap.size >= t.maxConnections || t.state === 'stopped' || t.state === 'failed') {
      // A duplicate waits out the base backoff: redialling it at once would only loop.
      if (verdict === 'ok' || verdict === 'duplicate') t.book.disconnected(address, now);
      connection.destroy();
      return;
    }
    const peer = new Peer(address, host, connection, now, t.options.pexIntervalMs ?? PEX_INTERVAL_MS);
    t.peerMap.set(address, peer);
    connection.on('message', (message) => this.#dispatch(peer, message));
    connection.on('extended:handshake', (handshake) => this.extensions.handshake(peer, handshake));
    connection.on('extended', (message, name) => this.extensions.message(peer, message.payload, name));
    connection.on('close', (error) => this.#closed(peer, error));
    if (connection.remoteExtended !== undefined) this.extensions.handshake(peer, connection.remoteExtended);
    // Before the check is done (or the metadata is here) there is nothing true to say yet:
    // `ready()` greets the peer then. A magnet's peers hear HAVE NONE at once, since we have nothing.
    if (t.picker !== undefined) this.#greet(peer);
    else if (t.metainfo === undefined && peer.fast) {
      connection.send({ type: 'have-none' });
      peer.greeted = true;
    }
    t.emit('peer:connect', peer.info(now));
    this.hashes.fill(peer);
  }

  /** The check is done (after a magnet's metadata arrived, or at start): tell the peers what we have, read what they said. */
  ready(): void {
    const picker = this.#torrent.picker!;
    for (const peer of this.#torrent.peerMap.values()) {
      peer.connection.setPieceCount(picker.pieceCount);
      if (!peer.greeted) this.#greet(peer);
      else {
        const have = picker.bitfield();
        for (let i = have.nextSet(0); i !== -1; i = have.nextSet(i + 1)) peer.connection.have(i);
      }
      const { early } = peer;
      peer.early = { haves: [] };
      if (early.haveAll === true) this.#dispatch(peer, { type: 'have-all' });
      else if (early.bitfield !== undefined) this.#dispatch(peer, { type: 'bitfield', bitfield: early.bitfield });
      for (const index of early.haves) this.#dispatch(peer, { type: 'have', index });
    }
  }

  pieceVerified(piece: number, data: Uint8Array): void {
    const t = this.#torrent;
    for (const liar of this.hashFailures.verified(piece, data)) this.strike(liar, `sent corrupt data for piece ${piece}`);
    for (const peer of t.peerMap.values()) peer.connection.have(piece);
  }

  pieceFailed(piece: number, data: Uint8Array): void {
    const t = this.#torrent;
    const picker = t.picker!;
    const senders = picker.blockSenders(piece);
    const { contributors } = picker.pieceFailed(piece);
    t.emit('piece:failed', piece, contributors);
    for (const liar of this.hashFailures.failed(piece, data, senders)) this.strike(liar, `sent piece ${piece}, which failed its hash check`);
    this.downloading.fillAll();
  }

  /** Every wanted piece is here: part from other seeds, lose interest in the rest. */
  completed(): void {
    for (const peer of this.#torrent.peerMap.values()) {
      if (peer.isSeed) peer.connection.destroy();
      else this.downloading.updateInterest(peer);
    }
  }

  /** Once a second. */
  tick(now: number): void {
    const t = this.#torrent;
    this.hashes.tick(now);
    for (const peer of t.peerMap.values()) {
      this.downloading.tick(peer, now);
      this.extensions.tick(peer, now);
    }
    this.serving.tick(now);
  }

  // What we have, right after the handshake: BEP 6 HAVE ALL / HAVE NONE when both sides can,
  // else a BITFIELD (left out when empty, as BEP 3 allows); then the allowed-fast set.
  #greet(peer: Peer): void {
    const t = this.#torrent;
    const picker = t.picker!;
    const { connection } = peer;
    peer.greeted = true;
    connection.setPieceCount(picker.pieceCount);
    const have = picker.bitfield();
    if (peer.fast && have.isComplete) connection.send({ type: 'have-all' });
    else if (peer.fast && have.isEmpty) connection.send({ type: 'have-none' });
    else if (!have.isEmpty) connection.bitfield(have.toWire());
    if (peer.fast && !have.isEmpty) {
      const ip = peer.host;
      try {
        for (const piece of allowedFastSet(ip, t.wireInfoHash.subarray(0, 20), picker.pieceCount)) {
          if (!have.get(piece)) continue;
          peer.allowedFast.add(piece);
          connection.send({ type: 'allowed-fast', index: piece });
        }
      } catch {
        // Not an IP address we can compute the set for: no allowed-fast pieces.
      }
    }
  }

  #dispatch(peer: Peer, message: WireMessage): void {
    const t = this.#torrent;
    const picker = t.picker;
    switch (message.type) {
      case 'bitfield':
      case 'have':
      case 'have-all':
      case 'have-none':
        if (picker === undefined) return this.#remember(peer, message);
        return this.downloading.pieces(peer, message);
      case 'choke':
        return this.downloading.choked(peer);
      case 'unchoke':
        return this.downloading.unchoked(peer);
      case 'piece':
        return this.downloading.block(peer, message);
      case 'reject':
        return this.downloading.rejected(peer, message);
      case 'allowed-fast':
      case 'suggest':
        return this.downloading.hint(peer, message);
      case 'interested':
      case 'not-interested':
        return this.serving.interest(peer);
      case 'request':
        return this.serving.request(peer, message);
      case 'cancel':
        t.uploader.cancel(peer, message);
        return;
      case 'hash-request':
        return this.hashes.request(peer, message);
      case 'hashes':
        return this.hashes.hashes(peer, message);
      case 'hash-reject':
        return this.hashes.rejected(peer, message);
      // Extended messages come through their own events; PORT is for the DHT.
      case 'extended':
      case 'keep-alive':
      case 'port':
      case 'unknown':
        return;
    }
  }

  // Before the metadata, piece numbers cannot be checked: keep what the peer says, bounded.
  #remember(peer: Peer, message: Extract<WireMessage, { type: 'bitfield' | 'have' | 'have-all' | 'have-none' }>): void {
    const early = peer.early;
    if (message.type === 'bitfield') early.bitfield = message.bitfield.slice();
    else if (message.type === 'have-all') early.haveAll = true;
    else if (message.type === 'have' && early.haves.length < 100_000) early.haves.push(message.index);
  }

  /** A strike against the host of `address` (hash failures, hashes that do not verify): banned after a few, and its connections closed. */
  strike(address: string, why: string): void {
    const t = this.#torrent;
    // A peer gone since it sent the data is still struck, by the host in its address (a peer-book key, so it parses).
    const host = t.peerMap.get(address)?.host ?? parsePeerAddress(address)?.host;
    if (host === undefined) return;
    const already = t.book.isBanned(host);
    const { banned } = t.book.strike(host);
    if (!banned || already) return;
    for (const peer of t.peerMap.values()) if (peer.host === host) peer.connection.destroy();
    t.emit('peer:ban', host, why);
  }

  // Two peers that dial each other at once end up with two connections. Both sides must keep
  // the same one: the one opened by the peer whose id is smaller. Returns whether `connection`
  // wins, in which case the other is closed and forgotten now.
  #replaces(connection: PeerConnection, peerId: string): boolean {
    const t = this.#torrent;
    let existing: Peer | undefined;
    for (const p of t.peerMap.values()) {
      if (p.connection.remote !== undefined && toHex(p.connection.remote.peerId) === peerId) {
        existing = p;
        break;
      }
    }
    if (existing === undefined || existing.connection.direction === connection.direction) return false;
    const ours = toHex(t.context.peerId);
    const openerOfNew = connection.direction === 'outgoing' ? ours : peerId;
    const openerOfOld = existing.connection.direction === 'outgoing' ? ours : peerId;
    if (openerOfNew >= openerOfOld) return false;
    existing.connection.destroy();
    this.#closed(existing, undefined);
    return true;
  }

  #closed(peer: Peer, error: Error | undefined): void {
    const t = this.#torrent;
    if (t.peerMap.get(peer.id) !== peer) return;
    t.peerMap.delete(peer.id);
    const now = t.context.now();
    t.picker?.peerGone(peer.id);
    peer.requests.clear();
    t.uploader.clear(peer);
    const wasUnchoked = t.choker.isUnchoked(peer.id);
    t.choker.remove(peer.id);
    t.book.disconnected(peer.id, now);
    t.emit('peer:disconnect', peer.id, error);
    this.hashes.peerGone(peer);
    this.downloading.fillAll();
    if (wasUnchoked) this.serving.rechoke(now);
    t.dial();
  }
}
