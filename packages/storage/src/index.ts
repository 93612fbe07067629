/**
 * @gtorr/storage: maps torrent pieces to files on disk, verifies them (v1, v2, hybrid) and
 * keeps resume data.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseTorrent } from '@gtorr/metainfo';
 * import { FileStorage, checkTorrent } from '@gtorr/storage';
 *
 * const metainfo = parseTorrent(readFileSync('file.torrent'));
 * const storage = new FileStorage(metainfo, 'downloads', { readOnly: true });
 * const result = await checkTorrent(storage, { onProgress: (p) => console.log(p.bytesDone, '/', p.bytesTotal) });
 * for (const file of result.files) console.log(file.path.join('/'), file.state);
 * await storage.close();
 * ```
 *
 * @packageDocumentation
 */
export { assessResume } from './assess-resume.js';
export type { FileChange, ResumeAssessment, ResumeOutcome } from './assess-resume.js';
export { Bitfield } from './bitfield.js';
export { checkTorrent } from './check-torrent.js';
export type { CheckOptions, CheckProgress, CheckResult, FileCheck, FileCheckState, PieceCheckState } from './check-torrent.js';
export { StorageError, StorageErrorCode } from './errors.js';
export type { StorageErrorOptions } from './errors.js';
export { FileStorage } from './file-storage.js';
export type { FileStorageOptions } from './file-storage.js';
export { HashPool } from './hash-pool.js';
export type { HashPoolOptions, PoolVerifyOptions, PoolVerifyResult } from './hash-pool.js';
export { MemoryStorage } from './memory-storage.js';
export type { MemoryStorageOptions } from './memory-storage.js';
export { filePieces, pieceSize, pieceSpans } from './piece-spans.js';
export type { FileSpan } from './piece-spans.js';
export { ResumeSaver } from './resume-saver.js';
export type { ResumeSaverOptions } from './resume-saver.js';
export { ResumeStore } from './resume-store.js';
export type { ResumeData, ResumeStoreOptions } from './resume-store.js';
export { nodeStorageFs } from './storage-fs.js';
export type { StorageFileHandle, StorageFs } from './storage-fs.js';
export type { OperationOptions, ReadOptions, Storage, StoredFileState } from './storage.js';
export { verifyPieceData } from './verify-piece-data.js';
