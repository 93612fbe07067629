/**
 * @gtorr/client: The gtorr BitTorrent engine: sessions, torrents, swarms, piece picking, choking and seeding.
 *
 * @packageDocumentation
 */
// Engine parts (issues 7 and 8): pure state machines, no I/O; `Torrent` wires them together.
export { Bitfield } from './bitfield/bitfield.js';
export { BitfieldError, BitfieldErrorCode } from './bitfield/bitfield-error.js';
export { DEFAULT_BLOCK_LENGTH, DEFAULT_PRIORITY, PiecePicker } from './picker/piece-picker.js';
export type { BlockArrival, PickOptions, PiecePickerOptions, SequentialOptions } from './picker/piece-picker.js';
export type { BlockRequest } from './picker/piece-download.js';
export { MAX_PRIORITY } from './picker/piece-order.js';
export { piecePrioritiesFromFiles } from './picker/file-priorities.js';
export type { FileSpan } from './picker/file-priorities.js';
export { DEFAULT_PEER_QUEUE_LIMIT, MAX_PEER_QUEUE_LIMIT, RequestQueue } from './requests/request-queue.js';
export type { RequestQueueOptions } from './requests/request-queue.js';
export { Choker } from './choker/choker.js';
export type { ChokeAction, ChokerOptions, ChokerPeer, RechokeOptions } from './choker/choker.js';
export { RateMeter } from './rate/rate-meter.js';
export type { RateMeterOptions } from './rate/rate-meter.js';
export { TokenBucket } from './rate/token-bucket.js';
export type { TokenBucketOptions } from './rate/token-bucket.js';
export { PeerBook } from './peers/peer-book.js';
export type { AddResult, ConnectedResult, PeerBookOptions, PeerConnectionState, PeerRecord, PeerSource } from './peers/peer-book.js';
export { formatPeerAddress, normalizeHost, parsePeerAddress, peerAddress } from './peers/peer-address.js';
export type { PeerAddress } from './peers/peer-address.js';
export { progressSnapshot } from './progress/progress.js';
export type { ProgressCounters, ProgressSnapshot } from './progress/progress.js';
export { AnnounceTiers, trackerKind } from './announce/announce-tiers.js';
export type { AnnounceFailure, AnnounceStep, AnnounceSuccess, AnnounceTiersOptions, TrackerKind, TrackerState } from './announce/announce-tiers.js';
// The engine: a session of torrents over real sockets, files and trackers.
export { Session } from './session/session.js';
export type { SessionOptions } from './session/session-options.js';
export { Torrent } from './torrent/torrent.js';
export type { TorrentSource } from './torrent/torrent.js';
export type { TorrentProgress } from './torrent/torrent-progress.js';
export type { TorrentOptions, TorrentState } from './torrent/torrent-options.js';
export type { AnnounceOutcome, PeerConnectFailure, PeerInfo, TorrentEvents } from './torrent/torrent-events.js';
export { ClientError, ClientErrorCode } from './errors.js';
export type { ClientErrorOptions } from './errors.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { ReadCache, DEFAULT_READ_CACHE_BYTES } from './upload/read-cache.js';
export { MetadataAssembler } from './metadata/metadata-assembler.js';
export { pexDiff, MAX_PEX_CONTACTS } from './pex/pex-diff.js';
