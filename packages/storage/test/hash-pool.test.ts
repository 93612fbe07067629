import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashDescriptors } from '../src/hash-pool.js';
import { HashPool, StorageError, verifyPieceData } from '../src/index.js';
import { makeTestTorrent, testBytes } from '../src/test.js';

describe('HashPool: workers reading descriptors', () => {
  it('says which span ended early, and passes a read error with its errno', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtorr-pool-'));
    const path = join(dir, 'short.bin');
    writeFileSync(path, testBytes(1000));
    const fd = openSync(path, 'r');
    const pool = new HashPool({ size: 1 });
    try {
      const job = { length: 3000, pieceLength: 16384, sha1: true, v2: undefined };
      const full = await hashDescriptors(pool, [{ fd, position: 0, at: 0, length: 1000 }], { ...job, length: 1000 }, undefined);
      expect(full.kind).toBe('hashed');
      const short = await hashDescriptors(pool, [{ fd, position: 0, at: 0, length: 500 }, { fd, position: 500, at: 500, length: 2500 }], job, undefined);
      expect(short).toEqual({ kind: 'short', span: 1 });
      closeSync(fd);
      const bad = await hashDescriptors(pool, [{ fd, position: 0, at: 0, length: 10 }], { ...job, length: 10 }, undefined);
      expect(bad).toMatchObject({ kind: 'error', span: 0, cause: { code: 'EBADF' } });
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HashPool', () => {
  it('agrees with hashing on the calling thread, for v1, v2 and hybrid pieces', async () => {
    const pool = new HashPool({ size: 2 });
    try {
      for (const version of [1, 2, 'hybrid'] as const) {
        const t = await makeTestTorrent('p', [{ path: ['a'], data: testBytes(70_000, 7) }, { path: ['b'], data: testBytes(9_000, 8) }], { version, pieceLength: 32768 });
        for (let piece = 0; piece < t.metainfo.pieceCount; piece++) {
          const good = t.pieceData(piece);
          const bad = good.slice();
          // The first byte is always file data (v2 gaps and pad bytes come at a piece's end).
          bad[0]! ^= 1;
          expect(verifyPieceData(t.metainfo, piece, good)).toBe(true);
          expect(verifyPieceData(t.metainfo, piece, bad)).toBe(false);
          expect((await pool.verify(t.metainfo, piece, good)).ok).toBe(true);
          expect((await pool.verify(t.metainfo, piece, bad)).ok).toBe(false);
          expect(verifyPieceData(t.metainfo, piece, good.subarray(1))).toBe(false);
        }
      }
    } finally {
      await pool.close();
    }
  });

  it('copies by default, and with transfer hands the memory over and back', async () => {
    const t = await makeTestTorrent('x.bin', testBytes(16384), {});
    const pool = new HashPool({ size: 1 });
    try {
      const data = t.pieceData(0);
      await pool.verify(t.metainfo, 0, data);
      expect(data.byteLength).toBe(16384);
      const result = await pool.verify(t.metainfo, 0, data, { transfer: true });
      expect(data.byteLength).toBe(0); // detached while the worker had it
      expect(result.ok).toBe(true);
      expect(result.data).toEqual(t.pieceData(0));
    } finally {
      await pool.close();
    }
  });

  it('rejects queued work when aborted, and everything once closed', async () => {
    const t = await makeTestTorrent('x.bin', testBytes(16384 * 8), {});
    const pool = new HashPool({ size: 1 });
    const controller = new AbortController();
    const jobs = Array.from({ length: 8 }, (_, p) => pool.verify(t.metainfo, p, t.pieceData(p), { signal: controller.signal }));
    controller.abort(new Error('enough'));
    const settled = await Promise.allSettled(jobs);
    expect(settled.some((s) => s.status === 'rejected' && (s.reason as Error).message === 'enough')).toBe(true);
    const pending = pool.verify(t.metainfo, 0, t.pieceData(0)).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await pool.close();
    expect(await pending).toBeInstanceOf(StorageError);
    await expect(pool.verify(t.metainfo, 0, t.pieceData(0))).rejects.toMatchObject({ code: 'STORAGE_CLOSED' });
  });
});
