/**
 * @gtorr/metainfo: reads and writes .torrent files (v1, v2, hybrid) and magnet links.
 *
 * @packageDocumentation
 */
export type { FileEntry, InfoHashes, Metainfo } from './types.js';
