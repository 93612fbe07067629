/**
 * @gtorr/tracker-udp: a UDP BitTorrent tracker client (BEP 15): connect, announce, scrape,
 * with the protocol's codec beside it and a small tracker server over an injected swarm store.
 *
 * @example
 * ```ts
 * import { UdpTrackerClient } from '@gtorr/tracker-udp';
 *
 * const client = new UdpTrackerClient();
 * const response = await client.announce('udp://127.0.0.1:6969', {
 *   infoHash: new Uint8Array(20).fill(1),
 *   peerId: new TextEncoder().encode('-GT0001-abcdefghijkl'),
 *   port: 6881, uploaded: 0, downloaded: 0, left: 1000, event: 'started',
 * }, { signal: AbortSignal.timeout(30_000) });
 * console.log(response.interval, response.peers);
 * await client.close();
 * ```
 *
 * @packageDocumentation
 */
export { UdpTrackerClient } from './client/udp-tracker-client.js';
export type { RequestOptions, UdpTrackerClientOptions } from './client/udp-tracker-client.js';
export { TrackerError, TrackerErrorCode } from './errors.js';
export type { TrackerErrorOptions } from './errors.js';
export { Action, decodeRequest, encodeAnnounceRequest, encodeConnectRequest, encodeScrapeRequest, ipv4Number, MAX_SCRAPE_HASHES, PROTOCOL_ID } from './protocol/udp-request.js';
export type { AnnounceFields, UdpRequest } from './protocol/udp-request.js';
export { decodeResponse, encodeAnnounceResponse, encodeConnectResponse, encodeErrorResponse, encodeScrapeResponse, peekTransactionId } from './protocol/udp-response.js';
export type { ScrapeCounts, UdpResponse } from './protocol/udp-response.js';
export { createUdpTrackerServer } from './server/udp-tracker-server.js';
export type { UdpSwarmAnnounce, UdpSwarmBackend, UdpTrackerServer, UdpTrackerServerAddress, UdpTrackerServerOptions, UdpTrackerServerStartOptions } from './server/udp-tracker-server.js';
export type { AnnounceEvent, AnnounceRequest, AnnounceResponse, Peer, ScrapeFile, ScrapeResponse } from './types.js';
