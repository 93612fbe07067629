import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bitfield, checkTorrent, FileStorage, HashPool, MemoryStorage, nodeStorageFs, type CheckProgress, type Storage, type StorageFileHandle } from '../src/index.js';
import { makeTestTorrent, testBytes, type TestTorrent } from '../src/test.js';
import { handMadeV1 } from './helpers/metainfo.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = [
  { path: ['a.bin'], data: testBytes(100_000, 1) },
  { path: ['b.bin'], data: testBytes(20_000, 2) },
  { path: ['empty'], data: new Uint8Array(0) },
  { path: ['z', 'c.bin'], data: testBytes(60_000, 3) },
];

async function stored(version: 1 | 2 | 'hybrid', pieces?: (piece: number) => boolean): Promise<{ t: TestTorrent; storage: MemoryStorage }> {
  const t = await makeTestTorrent('check', files, { version, pieceLength: 16384 });
  const storage = new MemoryStorage(t.metainfo);
  for (let p = 0; p < t.metainfo.pieceCount; p++) if (pieces?.(p) ?? true) await storage.write(p, 0, t.pieceData(p));
  return { t, storage };
}

const fileIndex = (t: TestTorrent, path: string) => t.metainfo.files.findIndex((f) => f.path.join('/') === path);

describe('checkTorrent', () => {
  for (const version of [1, 2, 'hybrid'] as const) {
    it(`finds complete v${version} data complete`, async () => {
      const { t, storage } = await stored(version);
      const result = await checkTorrent(storage, { workers: 2 });
      expect(result.complete).toBe(true);
      expect(result.counts).toEqual({ verified: t.metainfo.pieceCount, failed: 0, missing: 0, skipped: 0 });
      expect(result.files.map((f) => [f.path.join('/'), f.state])).toEqual([
        ['a.bin', 'complete'],
        ['b.bin', 'complete'],
        ['empty', 'complete'],
        ['z/c.bin', 'complete'],
      ]);
      expect(result.bytesVerified).toBe(180_000);
    });
  }

  it('tells complete, partial and missing files apart, and failed from missing pieces', async () => {
    const { t, storage } = await stored(2, (p) => p !== 2);
    const b = fileIndex(t, 'b.bin');
    storage.remove(b);
    const c = fileIndex(t, 'z/c.bin');
    const cFirst = t.metainfo.files[c]!.offset / t.metainfo.pieceLength;
    storage.corrupt(c, 0, new Uint8Array([1, 2, 3]));
    const result = await checkTorrent(storage, { workers: 2 });
    expect(result.complete).toBe(false);
    const byPath = Object.fromEntries(result.files.map((f) => [f.path.join('/'), f]));
    expect(byPath['a.bin']).toMatchObject({ state: 'partial', verifiedBytes: 100_000 - 16384, sizeOnDisk: 100_000 });
    expect(byPath['b.bin']).toMatchObject({ state: 'missing', verifiedBytes: 0, sizeOnDisk: undefined });
    expect(byPath['empty']?.state).toBe('complete');
    expect(byPath['z/c.bin']).toMatchObject({ state: 'partial', verifiedBytes: 60_000 - 16384 });
    // Piece 2 was never written, but later ones were: it is a hole in a.bin, which reads as
    // zeros and fails its hash. The pieces of b.bin, which is gone, are missing.
    expect(result.pieceState(2)).toBe('failed');
    const bFirst = t.metainfo.files[b]!.offset / t.metainfo.pieceLength;
    expect(result.pieceState(bFirst)).toBe('missing');
    expect(result.pieceState(cFirst)).toBe('failed');
    expect(result.pieceState(0)).toBe('verified');
    expect(result.counts.failed).toBe(2);
    expect(result.counts.missing).toBe(2);
  });

  it('gives the same answer hashing on the calling thread, and on a pool it leaves open', async () => {
    const { storage } = await stored('hybrid', (p) => p % 3 !== 0);
    const inline = await checkTorrent(storage, { workers: 0 });
    const pool = new HashPool({ size: 2 });
    try {
      const pooled = await checkTorrent(storage, { pool });
      expect(pooled.verified.toBytes()).toEqual(inline.verified.toBytes());
      expect(pooled.files).toEqual(inline.files);
      expect((await checkTorrent(storage, { pool })).counts).toEqual(inline.counts);
    } finally {
      await pool.close();
    }
  });

  it('gives the same answer for FileStorage whether workers read the files or the calling thread does', async () => {
    const { t, storage } = await stored('hybrid', (p) => p % 4 !== 1);
    const dir = join(root, 'same-answer');
    const writer = new FileStorage(t.metainfo, dir);
    for (let p = 0; p < t.metainfo.pieceCount; p++) if (await storage.has(p)) await writer.write(p, 0, await storage.read(p, 0, pieceSizeOf(t, p)));
    await writer.close();
    const expected = await checkTorrent(storage, { workers: 0 });
    // Workers reading descriptors (the default), the calling thread alone, and (no descriptors: an injected fs) workers fed buffers.
    const fds = await checkTorrent(new FileStorage(t.metainfo, dir, { readOnly: true }), { workers: 2 });
    const inline = await checkTorrent(new FileStorage(t.metainfo, dir, { readOnly: true }), { workers: 0 });
    const buffers = await checkTorrent(new FileStorage(t.metainfo, dir, { readOnly: true, fs: { ...nodeStorageFs, open: async (...a) => withoutFd(await nodeStorageFs.open(...a)) } }), { workers: 2 });
    for (const result of [fds, inline, buffers]) {
      expect(result.verified.toBytes()).toEqual(expected.verified.toBytes());
      expect(result.counts).toEqual(expected.counts);
    }
    expect(expected.counts.failed).toBeGreaterThan(0);
  });

  it('takes known pieces as verified without reading them, and checks only what it is asked', async () => {
    const { t, storage } = await stored(1);
    let reads = 0;
    const counting: Storage = Object.create(storage, {
      read: { value: (...args: Parameters<Storage['read']>) => (reads++, storage.read(...args)) },
    }) as Storage;
    const known = new Bitfield(t.metainfo.pieceCount);
    known.set(0);
    known.set(1);
    const only = new Bitfield(t.metainfo.pieceCount);
    only.set(2);
    only.set(5);
    const result = await checkTorrent(counting, { workers: 0, known, only });
    expect(reads).toBe(2);
    expect([...result.verified.indices()]).toEqual([0, 1, 2, 5]);
    expect(result.counts.skipped).toBe(t.metainfo.pieceCount - 4);
    expect(result.pieceState(3)).toBe('skipped');
  });

  it('reports progress, at the end with every piece done', async () => {
    const { t, storage } = await stored(1);
    const seen: CheckProgress[] = [];
    const pieces: number[] = [];
    await checkTorrent(storage, { workers: 1, progressIntervalMs: 0, onProgress: (p) => seen.push(p), onPiece: (p) => pieces.push(p) });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ piecesDone: t.metainfo.pieceCount, piecesTotal: t.metainfo.pieceCount, bytesDone: t.metainfo.length, bytesTotal: t.metainfo.length, verified: t.metainfo.pieceCount });
    expect(seen.length).toBeGreaterThan(t.metainfo.pieceCount / 2);
    expect(seen.map((p) => p.piecesDone)).toEqual([...seen.map((p) => p.piecesDone)].sort((a, b) => a - b));
    expect(pieces.sort((a, b) => a - b)).toEqual([...Array(t.metainfo.pieceCount).keys()]);
  });

  it('stops when aborted, rejecting with the reason', async () => {
    const { storage } = await stored(1);
    const controller = new AbortController();
    const check = checkTorrent(storage, {
      signal: controller.signal,
      workers: 2,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.piecesDone === 3) controller.abort(new Error('user stopped'));
      },
    });
    await expect(check).rejects.toThrow('user stopped');
    const before = new AbortController();
    before.abort(new Error('early'));
    await expect(checkTorrent(storage, { signal: before.signal })).rejects.toThrow('early');
  });

  it('keeps memory bounded: a 256 MiB file is checked through a few piece buffers', { timeout: 60_000 }, async () => {
    const size = 256 * 1024 * 1024;
    const pieceLength = 1 << 20;
    // Zeros: every piece has the same hash, and a sparse file of holes reads fast.
    const meta = handMadeV1('zeros.bin', [{ path: ['zeros.bin'], data: new Uint8Array(pieceLength) }], pieceLength, false);
    const metainfo = { ...meta, length: size, pieceCount: size / pieceLength, pieces: repeat(meta.pieces!, size / pieceLength), files: [{ ...meta.files[0]!, length: size }] };
    const dir = join(root, 'zeros');
    rmSync(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    writeFileSync(join(dir, 'zeros.bin'), '');
    truncateSync(join(dir, 'zeros.bin'), size);
    const storage = new FileStorage(metainfo, dir, { readOnly: true });
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const result = await checkTorrent(storage, { workers: 2, progressIntervalMs: 0, onProgress: () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline)) });
    expect(result.complete).toBe(true);
    expect(peak).toBeLessThan(24 * pieceLength);
    await storage.close();
  });
});

function pieceSizeOf(t: TestTorrent, piece: number): number {
  return Math.min(t.metainfo.pieceLength, t.metainfo.length - piece * t.metainfo.pieceLength);
}

/** A handle that hides its descriptor, as an injected file system's might. */
function withoutFd(handle: StorageFileHandle): StorageFileHandle {
  return { read: (...a) => handle.read(...a), write: (...a) => handle.write(...a), stat: (o) => handle.stat(o), sync: () => handle.sync(), close: () => handle.close() };
}

function repeat(bytes: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(bytes.length * times);
  for (let i = 0; i < times; i++) out.set(bytes, i * bytes.length);
  return out;
}
