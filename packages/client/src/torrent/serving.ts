import type { WireMessage } from '@gtorr/wire';
import { UPLOAD_QUEUE_LIMIT } from '../upload/uploader.js';
import type { Peer } from './peer.js';
import type { Torrent } from './torrent.js';

/** BEP 3 practice: blocks larger than 16 KiB are refused. */
export const MAX_REQUEST_LENGTH = 16 * 1024;
// Refused requests a peer may make before it is dropped: a few come from honest races
// (a request crossing our CHOKE), hundreds do not.
const MAX_BAD_REQUESTS = 200;

/**
 * The upload side of a torrent's peers: which requests are honoured (we have the piece, the
 * range is a real block, the peer is unchoked or the piece is allowed fast, its queue is not
 * full), and who is unchoked (the choker, rechoked every 10 s and when a slot frees up).
 */
export class Serving {
  readonly #torrent: Torrent;

  constructor(torrent: Torrent) {
    this.#torrent = torrent;
  }

  request(peer: Peer, message: Extract<WireMessage, { type: 'request' }>): void {
    const t = this.#torrent;
    const picker = t.picker;
    const { index, begin, length } = message;
    // A v2-only torrent's byte space ends with its last file, but libtorrent pads the last
    // piece to a whole piece (as between files) and asks for whole blocks of it: served, the
    // pad as zeros.
    const valid =
      picker !== undefined &&
      index < picker.pieceCount &&
      picker.hasPiece(index) &&
      length > 0 &&
      length <= MAX_REQUEST_LENGTH &&
      begin + length <= (t.metainfo?.version === 2 ? t.metainfo.pieceLength : picker.pieceLengthOf(index));
    if (!valid) {
      this.#refuse(peer, message, true);
      return;
    }
    if (peer.connection.amChoking && !peer.allowedFast.has(index)) {
      this.#refuse(peer, message, false);
      return;
    }
    if (!t.uploader.enqueue(peer, message)) this.#refuse(peer, message, true);
  }

  /** INTERESTED or NOT INTERESTED: an interested peer gets a free slot at once rather than at the next rechoke. */
  interest(peer: Peer): void {
    const t = this.#torrent;
    const now = t.context.now();
    if (peer.connection.peerInterested) {
      if (t.choker.unchoked.size < (t.options.uploadSlots ?? 4) + 1) this.rechoke(now);
    } else if (t.choker.isUnchoked(peer.id)) {
      this.rechoke(now);
    }
  }

  rechoke(now: number): void {
    const t = this.#torrent;
    if (t.picker === undefined) return;
    const peers = [...t.peerMap.values()].map((p) => ({
      id: p.id,
      interested: p.connection.peerInterested,
      downloadRate: p.downloaded.rate(now),
      uploadRate: p.uploaded.rate(now),
      snubbed: p.requests.snubbed,
      connectedAt: p.connectedAt,
    }));
    for (const action of t.choker.rechoke(peers, now, { seeding: t.isComplete })) {
      const peer = t.peerMap.get(action.peer);
      if (peer === undefined) continue;
      if (action.type === 'unchoke') {
        peer.connection.unchoke();
        continue;
      }
      peer.connection.choke();
      // BEP 6: with the fast extension a choke cancels nothing by itself; say which requests will not be served.
      const dropped = t.uploader.clear(peer);
      for (const request of dropped) {
        if (peer.allowedFast.has(request.index)) t.uploader.enqueue(peer, request);
        else if (peer.fast) peer.connection.reject(request.index, request.begin, request.length);
      }
    }
  }

  tick(now: number): void {
    if (this.#torrent.choker.isDue(now)) this.rechoke(now);
  }

  #refuse(peer: Peer, message: Extract<WireMessage, { type: 'request' }>, bad: boolean): void {
    if (peer.fast) peer.connection.reject(message.index, message.begin, message.length);
    if (!bad) return;
    peer.badRequests++;
    if (peer.badRequests > MAX_BAD_REQUESTS || peer.uploads.length >= UPLOAD_QUEUE_LIMIT * 2) peer.connection.destroy();
  }
}
