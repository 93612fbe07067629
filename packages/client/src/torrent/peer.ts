import type { BlockRange, PeerConnection } from '@gtorr/wire';
import type { Bitfield } from '../bitfield/bitfield.js';
import { formatPeerAddress } from '../peers/peer-address.js';
import { RateMeter } from '../rate/rate-meter.js';
import { RequestQueue } from '../requests/request-queue.js';
import type { PeerInfo } from './torrent-events.js';

/** One connected peer, as a torrent keeps it: the connection and everything known about it. */
export class Peer {
  /** `host:port`: the key of this peer in the picker, the choker and the peer book. */
  readonly id: string;
  readonly host: string;
  readonly connection: PeerConnection;
  readonly requests: RequestQueue;
  /** Payload from it; restarted when it first unchokes us, so the time it kept us choked does not count as a slow rate. */
  downloaded = new RateMeter();
  readonly uploaded = new RateMeter();
  readonly connectedAt: number;
  /** Its pieces, once the piece count is known. */
  have: Bitfield | undefined;
  /** What it said before we knew the piece count (a magnet link): applied once we do. */
  early: { bitfield?: Uint8Array; haveAll?: boolean; haves: number[] } = { haves: [] };
  /** Blocks it asked for that we will send, oldest first. */
  readonly uploads: BlockRange[] = [];
  serving = false;
  /** We told it what we have (BITFIELD, HAVE ALL or HAVE NONE). */
  greeted = false;
  /** BEP 6 allowed-fast pieces we granted it: served even while we choke it. */
  readonly allowedFast = new Set<number>();
  /** Its listening port, from its extended handshake (`p`), for an incoming peer. */
  listenPort: number | undefined;
  readonly pexSent = new Set<string>();
  lastPexAt: number;
  /** Requests we refused: out of range, too long, not ours to give. Too many and it goes. */
  badRequests = 0;
  /** BEP 52 hash requests of it we could not answer. Too many and it goes. */
  badHashRequests = 0;
  /** ut_metadata requests asked of it and not answered. */
  metadataPending = 0;

  constructor(id: string, host: string, connection: PeerConnection, now: number, pexIntervalMs: number) {
    this.id = id;
    this.host = host;
    this.connection = connection;
    this.connectedAt = now;
    this.lastPexAt = now - pexIntervalMs + 3000;
    this.requests = new RequestQueue({ fast: connection.features.fast, minDepth: 4 });
  }

  get fast(): boolean {
    return this.connection.features.fast;
  }

  get isSeed(): boolean {
    return this.have?.isComplete === true || this.early.haveAll === true;
  }

  /** The address others can dial it at, when known. */
  get dialAddress(): string | undefined {
    if (this.connection.direction === 'outgoing') return this.id;
    if (this.listenPort === undefined) return undefined;
    return formatPeerAddress({ host: this.host, port: this.listenPort });
  }

  info(now: number): PeerInfo {
    const c = this.connection;
    return {
      address: this.id,
      client: c.remoteExtended?.v,
      direction: c.direction,
      downloadRate: this.downloaded.rate(now),
      uploadRate: this.uploaded.rate(now),
      pieces: this.have?.count ?? 0,
      seed: this.isSeed,
      amChoking: c.amChoking,
      amInterested: c.amInterested,
      peerChoking: c.peerChoking,
      peerInterested: c.peerInterested,
    };
  }
}
