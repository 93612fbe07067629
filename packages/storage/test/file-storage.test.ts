import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bitfield, checkTorrent, FileStorage, StorageError, type StorageErrorCode } from '../src/index.js';
import { makeTestTorrent, storageComplianceCases, testBytes } from '../src/test.js';
import { faultFs } from './helpers/fault-fs.js';
import { handMadeV1, handPiece, type HandFile } from './helpers/metainfo.js';

const root = mkdtempSync(join(tmpdir(), 'gtorr-storage-'));
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) {
    try {
      execFileSync('umount', [mount]);
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
const folder = () => join(root, `case-${n++}`);

async function codeOf(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof StorageError)) throw new Error(`expected a StorageError, got ${String(error)}`);
  return error;
}

/** A tmpfs of `size` at a fresh folder (root only), or undefined where mounting is not allowed. */
function tmpfs(size: string, readOnly = false): string | undefined {
  const dir = folder();
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}
const canMount = (() => {
  const probe = tmpfs('64k');
  return probe !== undefined;
})();

const threeFiles = () =>
  makeTestTorrent(
    'three',
    [
      { path: ['a.bin'], data: testBytes(40_000, 1) },
      { path: ['d', 'b.bin'], data: testBytes(30_000, 2) },
      { path: ['d', 'c.bin'], data: testBytes(50_000, 3) },
    ],
    { pieceLength: 16384 },
  );

describe('FileStorage: compliance', () => {
  for (const c of storageComplianceCases((metainfo) => new FileStorage(metainfo, folder()))) it(c.name, c.run);
});

describe('FileStorage: files on disk', () => {
  it('lays files out under the torrent\'s folder, at exact offsets', async () => {
    const t = await threeFiles();
    const dir = folder();
    const storage = new FileStorage(t.metainfo, dir);
    for (let p = t.metainfo.pieceCount - 1; p >= 0; p--) await storage.write(p, 0, t.pieceData(p));
    await storage.close();
    expect(readFileSync(join(dir, 'three', 'a.bin'))).toEqual(Buffer.from(t.fileData[0]!));
    expect(readFileSync(join(dir, 'three', 'd', 'b.bin'))).toEqual(Buffer.from(t.fileData[1]!));
    expect(readFileSync(join(dir, 'three', 'd', 'c.bin'))).toEqual(Buffer.from(t.fileData[2]!));
  });

  it('writes sparse files: a piece at the end of a large file allocates only that piece', async () => {
    const size = 256 * 1024 * 1024;
    const files: HandFile[] = [{ path: ['big.bin'], data: new Uint8Array(0) }];
    const metainfo = { ...handMadeV1('big.bin', files, 1 << 20, false), length: size, pieceCount: size >> 20, files: [{ path: ['big.bin'], length: size, offset: 0, padding: false, attributes: '' }] };
    const dir = folder();
    const storage = new FileStorage(metainfo, dir);
    await storage.write(metainfo.pieceCount - 1, 0, new Uint8Array(1 << 20).fill(7));
    await storage.close();
    const stats = statSync(join(dir, 'big.bin'));
    expect(stats.size).toBe(size);
    expect(stats.blocks * 512).toBeLessThan(4 << 20);
  });

  it('never creates pad files, and creates empty files', async () => {
    const files: HandFile[] = [
      { path: ['a.bin'], data: testBytes(10_000) },
      { path: ['.pad', '6384'], data: new Uint8Array(6384), padding: true },
      { path: ['empty'], data: new Uint8Array(0) },
      { path: ['b.bin'], data: testBytes(10_000, 5) },
    ];
    const metainfo = handMadeV1('padded', files, 16384);
    const dir = folder();
    const storage = new FileStorage(metainfo, dir);
    for (let p = 0; p < metainfo.pieceCount; p++) await storage.write(p, 0, handPiece(metainfo, files, p));
    for (let p = 0; p < metainfo.pieceCount; p++) expect(await storage.verify(p)).toBe(true);
    await storage.close();
    expect(existsSync(join(dir, 'padded', '.pad'))).toBe(false);
    expect(statSync(join(dir, 'padded', 'empty')).size).toBe(0);
  });

  it('never holds more than maxOpenFiles descriptors, for a torrent of 50,000 files', { timeout: 80_000 }, async () => {
    const files: HandFile[] = Array.from({ length: 50_000 }, (_, i) => ({ path: [`d${i % 50}`, `f${i}`], data: testBytes(1 + (i % 7), i + 1) }));
    const metainfo = handMadeV1('many', files, 16384);
    const fs = faultFs();
    // Memory-backed when there is one: the point is the descriptor count, not the disk.
    const base = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/gtorr-storage-') : folder();
    try {
      const storage = new FileStorage(metainfo, base, { maxOpenFiles: 8, fs });
      for (let p = 0; p < metainfo.pieceCount; p++) await storage.write(p, 0, handPiece(metainfo, files, p));
      expect(fs.open_.max).toBe(8);
      expect(storage.openFiles).toBeLessThanOrEqual(8);
      const some = new Bitfield(metainfo.pieceCount);
      for (const p of [0, metainfo.pieceCount >> 1, metainfo.pieceCount - 1]) some.set(p);
      const result = await checkTorrent(storage, { workers: 1, only: some });
      expect(result.counts.verified).toBe(3);
      expect(fs.open_.max).toBe(8);
      await storage.close();
      expect(fs.open_.now).toBe(0);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('syncs files closed while dirty when flushed', async () => {
    const t = await threeFiles();
    const fs = faultFs();
    const storage = new FileStorage(t.metainfo, folder(), { maxOpenFiles: 1, fs });
    for (let p = 0; p < t.metainfo.pieceCount; p++) await storage.write(p, 0, t.pieceData(p));
    expect(fs.open_.syncs).toBe(0);
    await storage.flush();
    expect(fs.open_.syncs).toBe(3);
    await storage.close();
  });

  describe('write-back', () => {
    const pieceLength = 1024 * 1024;
    const data = testBytes(40 * pieceLength, 7);
    const metainfo = handMadeV1('big.bin', [{ path: ['big.bin'], data }], pieceLength, false);
    const writeAll = async (storage: FileStorage) => {
      for (let p = 0; p < metainfo.pieceCount; p++) await storage.write(p, 0, data.subarray(p * pieceLength, (p + 1) * pieceLength));
    };
    const until = async (what: string, done: () => boolean) => {
      for (const deadline = Date.now() + 10_000; !done(); await new Promise((r) => setTimeout(r, 10))) {
        if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
      }
    };

    it('sends a file to disk in the background every 32 MiB written, before any flush', async () => {
      const fs = faultFs();
      const dir = folder();
      const storage = new FileStorage(metainfo, dir, { fs });
      await writeAll(storage);
      // Nobody flushed: the 40 MiB written started one sync on their own.
      await until('a background sync', () => fs.open_.syncs === 1);
      // Data only (fdatasync); the flush then makes everything durable (fsync).
      expect(fs.open_.datasyncs).toBe(1);
      await storage.flush();
      expect(fs.open_.syncs).toBe(2);
      expect(fs.open_.datasyncs).toBe(1);
      await storage.close();
      expect(Buffer.compare(readFileSync(join(dir, 'big.bin')), data)).toBe(0);
    });

    it('reports a background sync that failed at the next flush, once', async () => {
      const fs = faultFs();
      let syncs = 0;
      // Only the first sync fails: the flush's own sync succeeds, and must not hide it (after a
      // failed fsync the kernel may have dropped the pages and says nothing the next time).
      fs.fail('sync', 'EIO', () => syncs++ === 0);
      const storage = new FileStorage(metainfo, folder(), { fs });
      await writeAll(storage);
      await until('the failed background sync', () => syncs === 1);
      const error = await codeOf(storage.flush());
      expect(error.code).toBe('STORAGE_IO');
      expect(error.syscallCode).toBe('EIO');
      await storage.flush();
      await storage.close();
    });
  });

  it('read-only: creates nothing, refuses writes', async () => {
    const t = await threeFiles();
    const dir = folder();
    const storage = new FileStorage(t.metainfo, dir, { readOnly: true });
    expect((await codeOf(storage.read(0, 0, 10))).code).toBe('STORAGE_MISSING_DATA');
    expect((await codeOf(storage.write(0, 0, t.pieceData(0)))).code).toBe('STORAGE_READ_ONLY');
    await storage.flush();
    await storage.close();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('FileStorage: paths stay inside the folder', () => {
  it('refuses names metainfo\'s path rule refuses', () => {
    for (const path of [['..', 'x'], ['a', '..'], ['/etc'], ['a/b'], ['C:x'], ['']]) {
      const metainfo = handMadeV1('t', [{ path, data: testBytes(10) }], 16384);
      expect(() => new FileStorage(metainfo, folder())).toThrow(expect.objectContaining({ code: 'STORAGE_PATH_ESCAPE' }) as Error);
    }
    const badName = handMadeV1('..', [{ path: ['..'], data: testBytes(10) }], 16384, false);
    expect(() => new FileStorage(badName, folder())).toThrow(expect.objectContaining({ code: 'STORAGE_PATH_ESCAPE' }) as Error);
  });

  it('does not write through a folder that links outside', async () => {
    const t = await threeFiles();
    const dir = folder();
    const outside = folder();
    mkdirSync(join(dir, 'three'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(dir, 'three', 'd'));
    const storage = new FileStorage(t.metainfo, dir);
    await storage.write(0, 0, t.pieceData(0));
    // Piece 2 holds the end of a.bin and the start of d/b.bin.
    const error = await codeOf(storage.write(2, 0, t.pieceData(2)));
    expect(error.code).toBe('STORAGE_PATH_ESCAPE');
    expect(error.path).toBe(join(dir, 'three', 'd'));
    expect(error.fileIndex).toBe(1);
    await storage.close();
    expect(existsSync(join(outside, 'b.bin'))).toBe(false);
  });

  it('neither reads nor writes a file that is a link outside', async () => {
    const t = await threeFiles();
    const dir = folder();
    const outside = join(folder(), 'secret');
    mkdirSync(join(dir, 'three'), { recursive: true });
    mkdirSync(join(outside, '..'), { recursive: true });
    writeFileSync(outside, 'secret bytes that must not reach a peer, nor be overwritten');
    symlinkSync(outside, join(dir, 'three', 'a.bin'));
    const storage = new FileStorage(t.metainfo, dir);
    expect((await codeOf(storage.read(0, 0, 10))).code).toBe('STORAGE_PATH_ESCAPE');
    expect((await codeOf(storage.write(0, 0, t.pieceData(0)))).code).toBe('STORAGE_PATH_ESCAPE');
    expect((await codeOf(storage.stat(0))).code).toBe('STORAGE_PATH_ESCAPE');
    await storage.close();
    expect(readFileSync(outside, 'utf8')).toMatch(/^secret bytes/);
  });

  it('follows a link that stays inside the folder', async () => {
    const t = await threeFiles();
    const dir = folder();
    mkdirSync(join(dir, 'three', 'real'), { recursive: true });
    symlinkSync(join(dir, 'three', 'real'), join(dir, 'three', 'd'));
    const storage = new FileStorage(t.metainfo, dir);
    for (let p = 0; p < t.metainfo.pieceCount; p++) await storage.write(p, 0, t.pieceData(p));
    for (let p = 0; p < t.metainfo.pieceCount; p++) expect(await storage.verify(p)).toBe(true);
    await storage.close();
    expect(statSync(join(dir, 'three', 'real', 'c.bin')).size).toBe(50_000);
  });

  it('says STORAGE_NOT_A_FILE where a folder stands at a file\'s path', async () => {
    const t = await threeFiles();
    const dir = folder();
    mkdirSync(join(dir, 'three', 'a.bin'), { recursive: true });
    const storage = new FileStorage(t.metainfo, dir);
    expect((await codeOf(storage.write(0, 0, t.pieceData(0)))).code).toBe('STORAGE_NOT_A_FILE');
    await storage.close();
  });
});

describe('FileStorage: failures keep what is verified', () => {
  it.each<[string, StorageErrorCode]>([
    ['ENOSPC', 'STORAGE_DISK_FULL'],
    ['EDQUOT', 'STORAGE_DISK_FULL'],
    ['EACCES', 'STORAGE_PERMISSION'],
    ['EPERM', 'STORAGE_PERMISSION'],
    ['EIO', 'STORAGE_IO'],
  ])('maps %s on write to %s with path and cause, and earlier pieces still verify', async (errno, code) => {
    const t = await threeFiles();
    const fs = faultFs();
    const storage = new FileStorage(t.metainfo, folder(), { fs });
    await storage.write(0, 0, t.pieceData(0));
    fs.fail('write', errno, (path) => path.endsWith('b.bin'));
    const error = await codeOf(storage.write(2, 0, t.pieceData(2)));
    expect(error).toMatchObject({ code, fileIndex: 1, piece: 2, syscallCode: errno });
    expect(error.path).toMatch(/b\.bin$/);
    expect((error.cause as { code: string }).code).toBe(errno);
    expect(await storage.verify(0)).toBe(true);
    fs.heal();
    await storage.write(2, 0, t.pieceData(2));
    expect(await storage.verify(2)).toBe(true);
    await storage.close();
  });

  it('maps EACCES on open to STORAGE_PERMISSION', async () => {
    const t = await threeFiles();
    const fs = faultFs();
    fs.fail('open', 'EACCES');
    const storage = new FileStorage(t.metainfo, folder(), { fs });
    const error = await codeOf(storage.write(0, 0, t.pieceData(0)));
    expect(error.code).toBe('STORAGE_PERMISSION');
    expect(error.path).toMatch(/a\.bin$/);
    expect(error.retryable).toBe(false);
  });

  it.skipIf(!canMount)('fills a real (tiny tmpfs) disk: STORAGE_DISK_FULL, earlier pieces intact', async () => {
    const disk = tmpfs('256k')!;
    const data = testBytes(1 << 20, 4);
    const t = await makeTestTorrent('fill.bin', data, { pieceLength: 16384 });
    const storage = new FileStorage(t.metainfo, disk);
    let written = 0;
    let error: StorageError | undefined;
    for (let p = 0; p < t.metainfo.pieceCount && error === undefined; p++) {
      error = await storage.write(p, 0, t.pieceData(p)).then(
        () => void written++,
        (e: StorageError) => e,
      );
    }
    expect(error?.code).toBe('STORAGE_DISK_FULL');
    expect(error?.syscallCode).toBe('ENOSPC');
    expect(written).toBeGreaterThan(0);
    for (let p = 0; p < written; p++) expect(await storage.verify(p)).toBe(true);
    await storage.close().catch(() => undefined);
  });

  it.skipIf(!canMount)('maps a read-only file system (EROFS) to STORAGE_PERMISSION', async () => {
    const disk = tmpfs('64k', true)!;
    const t = await threeFiles();
    const storage = new FileStorage(t.metainfo, disk);
    const error = await codeOf(storage.write(0, 0, t.pieceData(0)));
    expect(error.code).toBe('STORAGE_PERMISSION');
    expect(error.syscallCode).toBe('EROFS');
  });

  it('says STORAGE_FILE_CHANGED when a file we wrote is replaced, then accepts the new one', async () => {
    const t = await threeFiles();
    const dir = folder();
    const storage = new FileStorage(t.metainfo, dir);
    for (let p = 0; p < 3; p++) await storage.write(p, 0, t.pieceData(p));
    const path = join(dir, 'three', 'a.bin');
    writeFileSync(`${path}.new`, 'another file');
    renameSync(`${path}.new`, path);
    const error = await codeOf(storage.flush());
    expect(error).toMatchObject({ code: 'STORAGE_FILE_CHANGED', fileIndex: 0, path });
    expect(await storage.verify(0)).toBe(false);
    await storage.write(0, 0, t.pieceData(0));
    expect(await storage.verify(0)).toBe(true);
    await storage.close();
  });

  it('says STORAGE_FILE_CHANGED when a file we wrote is truncated', async () => {
    const t = await threeFiles();
    const dir = folder();
    const storage = new FileStorage(t.metainfo, dir);
    for (let p = 0; p < t.metainfo.pieceCount; p++) await storage.write(p, 0, t.pieceData(p));
    truncateSync(join(dir, 'three', 'd', 'c.bin'), 100);
    const last = t.metainfo.pieceCount - 1;
    const error = await codeOf(storage.read(last, 0, 100));
    expect(error).toMatchObject({ code: 'STORAGE_FILE_CHANGED', fileIndex: 2 });
    // Once said, the file is taken as it is now: its missing bytes are plain missing data.
    expect(await storage.verify(last)).toBe(false);
    expect(await storage.verify(0)).toBe(true);
    await storage.close();
  });

  it('says STORAGE_FILE_CHANGED when a file we wrote is deleted', async () => {
    const t = await threeFiles();
    const dir = folder();
    const storage = new FileStorage(t.metainfo, dir, { maxOpenFiles: 1 });
    for (let p = 0; p < t.metainfo.pieceCount; p++) await storage.write(p, 0, t.pieceData(p));
    rmSync(join(dir, 'three', 'a.bin'));
    expect((await codeOf(storage.read(0, 0, 10))).code).toBe('STORAGE_FILE_CHANGED');
    await storage.close();
  });
});
