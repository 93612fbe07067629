/**
 * @gtorr/storage/test: what a test of storage, or of anything built on it, needs: the
 * compliance cases every Storage must pass, real torrents made in memory, and test bytes.
 *
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import { MemoryStorage } from '@gtorr/storage';
 * import { storageComplianceCases } from '@gtorr/storage/test';
 *
 * for (const c of storageComplianceCases((metainfo) => new MemoryStorage(metainfo))) it(c.name, c.run);
 * ```
 *
 * @packageDocumentation
 */
export { storageComplianceCases } from './internal/compliance.js';
export type { ComplianceCase, StorageFactory } from './internal/compliance.js';
export { makeTestTorrent, testBytes } from './internal/test-torrent.js';
export type { TestFile, TestTorrent } from './internal/test-torrent.js';
export { MemoryStorage } from './memory-storage.js';
