/**
 * @gtorr/tracker-http: an HTTP(S) BitTorrent tracker client (announce, scrape) and a small
 * embeddable tracker server.
 *
 * @example
 * ```ts
 * import { createTrackerServer, HttpTrackerClient } from '@gtorr/tracker-http';
 *
 * const server = createTrackerServer({ interval: 60 });
 * const { announceUrl } = await server.start({ port: 0, host: '127.0.0.1' });
 * const client = new HttpTrackerClient({ timeoutMs: 5000 });
 * const response = await client.announce(announceUrl, {
 *   infoHash: new Uint8Array(20).fill(1),
 *   peerId: new TextEncoder().encode('-GT0001-abcdefghijkl'),
 *   port: 6881, uploaded: 0, downloaded: 0, left: 1000, event: 'started',
 * });
 * console.log(response.interval, response.peers);
 * await server.stop();
 * ```
 *
 * @packageDocumentation
 */
export { HttpTrackerClient } from './client/http-tracker-client.js';
export type { HttpTrackerClientOptions, RequestOptions } from './client/http-tracker-client.js';
export { TrackerError, TrackerErrorCode } from './errors.js';
export type { TrackerErrorOptions } from './errors.js';
export { DEFAULT_INTERVAL, parseAnnounceResponse } from './protocol/announce-response.js';
export type { ParseOptions } from './protocol/announce-response.js';
export { buildAnnounceUrl } from './protocol/announce-url.js';
export { decodeCompactPeers, encodeCompactPeer } from './protocol/compact-peers.js';
export { parseScrapeResponse } from './protocol/scrape-response.js';
export { buildScrapeUrl, toScrapeUrl } from './protocol/scrape-url.js';
export { createTrackerServer } from './server/tracker-server.js';
export type { TrackerServer, TrackerServerAddress, TrackerServerOptions, TrackerServerStartOptions, TrackerSwarm } from './server/tracker-server.js';
export { SwarmStore } from './server/swarm-store.js';
export type { SwarmAnnounce, SwarmAnnounceResult, SwarmCounts, SwarmPeer, SwarmRefusal, SwarmStoreOptions } from './server/swarm-store.js';
export type { AnnounceEvent, AnnounceRequest, AnnounceResponse, Peer, ScrapeFile, ScrapeResponse } from './types.js';
