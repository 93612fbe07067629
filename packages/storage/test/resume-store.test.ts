import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@gtorr/interop';
import { afterAll, describe, expect, it } from 'vitest';
import { assessResume, Bitfield, FileStorage, MemoryStorage, ResumeSaver, ResumeStore, type Storage } from '../src/index.js';
import { makeTestTorrent, testBytes, type TestTorrent } from '../src/test.js';
import { faultFs } from './helpers/fault-fs.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => join(root, `case-${n++}`);

const torrent = () =>
  makeTestTorrent(
    'r',
    [
      { path: ['a.bin'], data: testBytes(50_000, 1) },
      { path: ['b.bin'], data: testBytes(30_000, 2) },
      { path: ['c', 'd.bin'], data: testBytes(20_000, 3) },
    ],
    { pieceLength: 16384 },
  );

async function downloaded(t: TestTorrent, dir: string): Promise<{ storage: FileStorage; verified: Bitfield }> {
  const storage = new FileStorage(t.metainfo, dir);
  const verified = new Bitfield(t.metainfo.pieceCount);
  for (let p = 0; p < t.metainfo.pieceCount; p++) {
    await storage.write(p, 0, t.pieceData(p));
    if (await storage.verify(p)) verified.set(p);
  }
  return { storage, verified };
}

describe('ResumeStore', () => {
  it('saves and loads what was verified, with each file\'s size and mtime', async () => {
    const t = await torrent();
    const dir = folder();
    const { storage, verified } = await downloaded(t, dir);
    verified.clear(3);
    const store = new ResumeStore(join(dir, 'resume', 'r.resume'));
    const saved = await store.save(storage, verified);
    const loaded = await store.load();
    expect(loaded?.verified.toBytes()).toEqual(verified.toBytes());
    expect(loaded?.infoHash.v1).toEqual(new Uint8Array(t.metainfo.infoHash.v1!));
    expect(loaded?.pieceCount).toBe(t.metainfo.pieceCount);
    expect(loaded?.files).toEqual(saved.files);
    expect(loaded?.files[0]).toEqual(await storage.stat(0));
    await storage.close();
  });

  it('claims only what was verified when save() was called', async () => {
    const t = await torrent();
    const storage = new MemoryStorage(t.metainfo);
    const verified = new Bitfield(t.metainfo.pieceCount);
    verified.set(0);
    const store = new ResumeStore(join(folder(), 'r.resume'));
    const saving = store.save(storage, verified);
    verified.set(1);
    await saving;
    expect([...(await store.load())!.verified.indices()]).toEqual([0]);
  });

  it('flushes the data before it writes the resume file', async () => {
    const t = await torrent();
    const log: string[] = [];
    const storage = new MemoryStorage(t.metainfo);
    const logged: Storage = Object.create(storage, { flush: { value: async () => (log.push('flush'), storage.flush()) } }) as Storage;
    const fs = faultFs();
    const store = new ResumeStore(join(folder(), 'r.resume'), { fs: { ...fs, rename: async (a, b) => (log.push('rename'), fs.rename(a, b)) } });
    await store.save(logged, new Bitfield(t.metainfo.pieceCount));
    expect(log).toEqual(['flush', 'rename']);
    expect(fs.open_.syncs).toBe(2); // the temp file, then its folder
  });

  it('leaves the previous resume file whole when a save fails (disk full, or at the rename)', async () => {
    const t = await torrent();
    const dir = folder();
    const { storage, verified } = await downloaded(t, dir);
    const fs = faultFs();
    const path = join(dir, 'r.resume');
    const store = new ResumeStore(path, { fs });
    const first = new Bitfield(t.metainfo.pieceCount);
    first.set(0);
    await store.save(storage, first);
    const before = readFileSync(path);
    fs.fail('write', 'ENOSPC', (p) => p.endsWith('.tmp'));
    await expect(store.save(storage, verified)).rejects.toMatchObject({ code: 'STORAGE_DISK_FULL', path });
    fs.heal();
    fs.fail('rename', 'EIO');
    await expect(store.save(storage, verified)).rejects.toMatchObject({ code: 'STORAGE_IO' });
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect([...(await store.load())!.verified.indices()]).toEqual([0]);
    fs.heal();
    await store.save(storage, verified);
    expect((await store.load())!.verified.count()).toBe(t.metainfo.pieceCount);
    await storage.close();
  });

  it('loads nothing when there is no file, ignores a temp file left by a crash, refuses damaged data', async () => {
    const dir = folder();
    const path = join(dir, 'r.resume');
    const store = new ResumeStore(path);
    expect(await store.load()).toBeUndefined();
    const t = await torrent();
    await store.save(new MemoryStorage(t.metainfo), new Bitfield(t.metainfo.pieceCount));
    writeFileSync(`${path}.tmp`, 'half a resume file');
    expect(await store.load()).toBeDefined();
    const bytes = readFileSync(path);
    bytes[bytes.length - 30]! ^= 1;
    writeFileSync(path, bytes);
    await expect(store.load()).rejects.toMatchObject({ code: 'STORAGE_RESUME_CORRUPT' });
    writeFileSync(path, 'not bencode');
    await expect(store.load()).rejects.toMatchObject({ code: 'STORAGE_RESUME_CORRUPT' });
    await store.remove();
    expect(await store.load()).toBeUndefined();
  });
});

describe('assessResume', () => {
  it('trusts resume data while every file is as saved', async () => {
    const t = await torrent();
    const dir = folder();
    const { storage, verified } = await downloaded(t, dir);
    const store = new ResumeStore(join(dir, 'r.resume'));
    await store.save(storage, verified);
    const assessment = await assessResume(storage, await store.load());
    expect(assessment.outcome).toBe('trusted');
    expect(assessment.verified.count()).toBe(t.metainfo.pieceCount);
    expect(assessment.recheck.count()).toBe(0);
    await storage.close();
  });

  it('checks again the pieces of files whose size or mtime changed, and says which', async () => {
    const t = await torrent();
    const dir = folder();
    const { storage, verified } = await downloaded(t, dir);
    const store = new ResumeStore(join(dir, 'r.resume'));
    await store.save(storage, verified);
    await storage.close();
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'r', 'b.bin'), later, later);
    rmSync(join(dir, 'r', 'c', 'd.bin'));
    const reopened = new FileStorage(t.metainfo, dir);
    const assessment = await assessResume(reopened, await store.load());
    expect(assessment.outcome).toBe('partial');
    expect(assessment.changedFiles).toEqual([
      { fileIndex: 1, change: 'mtime' },
      { fileIndex: 2, change: 'missing' },
    ]);
    // b.bin spans pieces 3 and 4 (bytes 50,000 to 80,000); d.bin pieces 4 to 6.
    expect([...assessment.recheck.indices()]).toEqual([3, 4, 5, 6]);
    expect([...assessment.verified.indices()]).toEqual([0, 1, 2]);
    expect(assessment.reason).toMatch(/2 file\(s\) changed/);
    await reopened.close();
  });

  it('trusts nothing without resume data, or with another torrent\'s', async () => {
    const t = await torrent();
    const storage = new MemoryStorage(t.metainfo);
    const none = await assessResume(storage, undefined);
    expect(none.outcome).toBe('none');
    expect(none.recheck.count()).toBe(t.metainfo.pieceCount);
    const other = await makeTestTorrent('other', testBytes(100_000), {});
    const store = new ResumeStore(join(folder(), 'r.resume'));
    const full = new Bitfield(other.metainfo.pieceCount, new Uint8Array(Math.ceil(other.metainfo.pieceCount / 8)).fill(0xff));
    await store.save(new MemoryStorage(other.metainfo), full);
    const rejected = await assessResume(storage, await store.load());
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.verified.count()).toBe(0);
  });
});

describe('ResumeSaver', () => {
  it('saves periodically when something changed, not otherwise, and once more at stop', async () => {
    const t = await torrent();
    const storage = new MemoryStorage(t.metainfo);
    const verified = new Bitfield(t.metainfo.pieceCount);
    const store = new ResumeStore(join(folder(), 'r.resume'));
    const saver = new ResumeSaver({ store, storage, verified: () => verified, intervalMs: 20 });
    saver.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(saver.saveCount).toBe(0);
    verified.set(2);
    saver.markChanged();
    await waitFor('a periodic save', () => saver.saveCount >= 1, 5000, 10);
    expect([...(await store.load())!.verified.indices()]).toEqual([2]);
    verified.set(3);
    await saver.stop();
    expect([...(await store.load())!.verified.indices()]).toEqual([2, 3]);
  });

  it('passes a failed periodic save to onError and tries again later', async () => {
    const t = await torrent();
    const fs = faultFs();
    fs.fail('rename', 'ENOSPC');
    const errors: unknown[] = [];
    const store = new ResumeStore(join(folder(), 'r.resume'), { fs });
    const saver = new ResumeSaver({ store, storage: new MemoryStorage(t.metainfo), verified: () => new Bitfield(t.metainfo.pieceCount), intervalMs: 20, onError: (e) => errors.push(e) });
    saver.markChanged();
    saver.start();
    await waitFor('a failed save', () => errors.length >= 1, 5000, 10);
    expect(errors[0]).toMatchObject({ code: 'STORAGE_DISK_FULL' });
    fs.heal();
    await waitFor('a save after the disk was freed', () => saver.saveCount >= 1, 5000, 10);
    await saver.stop();
  });
});
