// Helpers for interop tests and benchmarks against real clients on loopback. Private: never published.
export { startProcess, stopAll, type ManagedProcess, type StartProcessOptions } from './process.js';
export { waitFor } from './wait.js';
export { freePort, freeTcpUdpPort, isListening } from './net.js';
export { answersHandshake, type AnswersHandshakeOptions } from './answers-handshake.js';
export { torrentInfoHash } from './torrent-info-hash.js';
export { hasTool, interop, SYSTEM_PYTHON, type Tool } from './tools.js';
export { startOpentracker, type Opentracker } from './opentracker.js';
export type { ReferenceClient, ReferenceClientOptions, Role } from './reference-client.js';
export { startLibtorrent, type LibtorrentOptions, type LibtorrentReady, type LibtorrentDone } from './libtorrent.js';
export { startTransmission, type TransmissionOptions } from './transmission.js';
export { startAria2, type Aria2Options } from './aria2.js';
export { createTorrent, type CreateTorrentOptions, type CreatedTorrent } from './create-torrent.js';
export { eachLine } from './lines.js';
export { makeSwarmFixture, type SwarmFixture, type SwarmFixtureOptions } from './swarm-fixture.js';
