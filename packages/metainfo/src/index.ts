/**
 * @gtorr/metainfo: reads and writes .torrent files (v1, v2, hybrid) and magnet links, with
 * info hashes taken from the original bytes.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { formatMagnet, parseMagnet, parseTorrent, toHex } from '@gtorr/metainfo';
 *
 * const torrent = parseTorrent(readFileSync('file.torrent'));
 * console.log(torrent.name, torrent.version, toHex(torrent.infoHash.v1!));
 * for (const file of torrent.files) if (!file.padding) console.log(file.path.join('/'), file.length);
 *
 * const magnet = parseMagnet('magnet:?xt=urn:btih:c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd&dn=Sintel');
 * console.log(formatMagnet(magnet));
 * ```
 *
 * @packageDocumentation
 */
export { MetainfoError, MetainfoErrorCode } from './errors.js';
export type { MetainfoErrorOptions } from './errors.js';
export { hexToBytes, parseInfoHash, toHex } from './info-hash.js';
export { formatMagnet, parseMagnet } from './magnet.js';
export type { FileRange, MagnetLink, MagnetLinkInput } from './magnet.js';
export { parseInfoDictionary, parseTorrent } from './parse-torrent.js';
export type { ParseOptions } from './parse-torrent.js';
export { isSafePathComponent, sanitizePathComponent } from './path-component.js';
export type { FileEntry, InfoHashes, Metainfo } from './types.js';
export { createTorrent, createTorrentFromBuffers } from './create/create-torrent.js';
export type { BufferFile, CreatedTorrent, CreateProgress, CreateTorrentOptions, TorrentVersion } from './create/create-torrent.js';
export { choosePieceLength, isValidPieceLength, MAX_AUTO_PIECE_LENGTH, MAX_PIECE_LENGTH, MIN_PIECE_LENGTH } from './create/piece-length.js';
export { BLOCK_SIZE_V2, HASH_SIZE_V2, fileTreeHashes, hasPieceLayer, hashBlocksV2, merkleRoot, padHashForPiece, pieceHashV2, pieceLayerRoot } from './v2/merkle.js';
export type { FileTreeHashes } from './v2/merkle.js';
