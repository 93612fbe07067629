/**
 * @gtorr/metainfo: reads and writes .torrent files (v1, v2, hybrid) and magnet links.
 *
 * @packageDocumentation
 */
export type { FileEntry, InfoHashes, Metainfo } from './types.js';
export { BLOCK_SIZE_V2, HASH_SIZE_V2, fileTreeHashes, hasPieceLayer, hashBlocksV2, merkleRoot, padHashForPiece, pieceHashV2, pieceLayerRoot } from './v2/merkle.js';
export type { FileTreeHashes } from './v2/merkle.js';
