import type { OperationOptions, Storage, StoredFileState } from '../storage.js';

// Enough stats in flight to hide each one's latency, few enough not to flood the thread pool.
const STAT_CONCURRENCY = 16;

/** Size and mtime of every file of the storage, by index into `metainfo.files` (undefined: pad file or not stored). */
export async function statAll(storage: Storage, options: OperationOptions = {}): Promise<(StoredFileState | undefined)[]> {
  const files = storage.metainfo.files;
  const states = new Array<StoredFileState | undefined>(files.length).fill(undefined);
  for (let i = 0; i < files.length; i += STAT_CONCURRENCY) {
    options.signal?.throwIfAborted();
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(files.length, i + STAT_CONCURRENCY); j++) {
      if (files[j]!.padding) continue;
      batch.push(storage.stat(j, options).then((state) => void (states[j] = state)));
    }
    await Promise.all(batch);
  }
  return states;
}
