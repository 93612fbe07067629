import type { PeerConnection } from '@gtorr/wire';
import { connectFailure } from './connect-failure.js';
import type { Torrent } from './torrent.js';

/**
 * Dials a torrent's peers from its peer book while there is room, hands the connections
 * that come up to its wiring, and tells the dials that fail as `peer:connect-failed`.
 */
export class Dialing {
  readonly #torrent: Torrent;
  readonly #connecting = new Map<string, PeerConnection>();

  constructor(torrent: Torrent) {
    this.#torrent = torrent;
  }

  /** Dials peers from the book while there is room. */
  dial(): void {
    const t = this.#torrent;
    if (t.ended || t.state === 'checking') return;
    const now = t.context.now();
    const room = Math.min(t.maxConnections - t.peerMap.size - this.#connecting.size, 16 - this.#connecting.size, t.context.connectionRoom());
    if (room <= 0) return;
    for (const record of t.book.candidates(now, room)) {
      if (t.peerMap.has(record.address) || this.#connecting.has(record.address)) continue;
      t.book.connecting(record.address);
      const connection = t.context.connect(t, record.host, record.port);
      this.#connecting.set(record.address, connection);
      connection.ready.then(
        () => {
          this.#connecting.delete(record.address);
          t.wiring.attach(connection, record.address, record.host);
        },
        (error: unknown) => {
          this.#connecting.delete(record.address);
          const now = t.context.now();
          const retryAt = t.book.failed(record.address, now);
          // Dials that our own stop (or failure) cut short say nothing about the peer; and a
          // swarm fails many dials, so nothing is built when nobody listens.
          if (t.ended || t.listenerCount('peer:connect-failed') === 0) return;
          const sources = t.book.get(record.address)?.sources ?? record.sources;
          t.emit('peer:connect-failed', connectFailure(record.address, sources, error, retryAt, now));
        },
      );
    }
  }

  /** Cuts short every dial under way (the torrent stops). */
  destroyAll(): void {
    for (const connection of this.#connecting.values()) connection.destroy();
  }
}
