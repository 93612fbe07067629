/**
 * @gtorr/storage: Maps torrent pieces to files on disk, verifies them (v1, v2, hybrid) and keeps resume data.
 *
 * @packageDocumentation
 */
export {};
