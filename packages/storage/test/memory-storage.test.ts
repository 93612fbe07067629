import { describe, expect, it } from 'vitest';
import { MemoryStorage, StorageError } from '../src/index.js';
import { makeTestTorrent, storageComplianceCases, testBytes } from '../src/test.js';

describe('MemoryStorage: compliance', () => {
  for (const c of storageComplianceCases((metainfo) => new MemoryStorage(metainfo))) it(c.name, c.run);
});

describe('MemoryStorage', () => {
  it('refuses writes when read-only', async () => {
    const t = await makeTestTorrent('x.bin', testBytes(20_000), {});
    const storage = new MemoryStorage(t.metainfo, { readOnly: true });
    await expect(storage.write(0, 0, t.pieceData(0))).rejects.toMatchObject({ code: 'STORAGE_READ_ONLY' });
  });

  it('fails a piece corrupted behind its back, and reports a removed file as missing', async () => {
    const t = await makeTestTorrent('x.bin', testBytes(40_000), {});
    const storage = new MemoryStorage(t.metainfo);
    for (let p = 0; p < t.metainfo.pieceCount; p++) await storage.write(p, 0, t.pieceData(p));
    storage.corrupt(0, 20_000, new Uint8Array([1, 2, 3]));
    expect(await storage.verify(1)).toBe(false);
    expect(await storage.verify(0)).toBe(true);
    storage.remove(0);
    expect(await storage.stat(0)).toBeUndefined();
    const error = await storage.read(0, 0, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'STORAGE_MISSING_DATA', fileIndex: 0, piece: 0 });
  });
});
