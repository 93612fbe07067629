// The behaviour every Storage shares, as plain async checks (node:assert, no test runner),
// so that any implementation can run them under any runner.
import assert from 'node:assert/strict';
import type { Metainfo } from '@gtorr/metainfo';
import { StorageError, type StorageErrorCode } from '../errors.js';
import { pieceSize } from '../piece-spans.js';
import type { Storage } from '../storage.js';
import { makeTestTorrent, testBytes, type TestTorrent } from './test-torrent.js';

/** Makes a fresh, empty storage for a torrent; called once per case. */
export type StorageFactory = (metainfo: Metainfo) => Storage | Promise<Storage>;

export interface ComplianceCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

const BLOCK = 16384;

/** Three files whose boundaries fall inside pieces, a nested path, and an empty file. */
function multiFile(version: 1 | 2 | 'hybrid' = 1): Promise<TestTorrent> {
  return makeTestTorrent(
    'multi',
    [
      { path: ['a.bin'], data: testBytes(40_000, 1) },
      { path: ['empty.txt'], data: new Uint8Array(0) },
      { path: ['sub', 'b.bin'], data: testBytes(5_000, 2) },
      { path: ['sub', 'c.bin'], data: testBytes(70_000, 3) },
    ],
    { version, pieceLength: 32768 },
  );
}

async function expectCode(promise: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StorageError, `expected a StorageError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected a StorageError ${code}, but it resolved`);
}

async function writeAll(storage: Storage, torrent: TestTorrent): Promise<void> {
  for (let piece = 0; piece < torrent.metainfo.pieceCount; piece++) await storage.write(piece, 0, torrent.pieceData(piece));
}

/**
 * The compliance cases for a Storage implementation: run each one's `run()` as a test.
 *
 * @example
 * for (const c of storageComplianceCases((m) => new MemoryStorage(m))) it(c.name, c.run);
 */
export function storageComplianceCases(factory: StorageFactory): ComplianceCase[] {
  const withStorage = (torrent: () => Promise<TestTorrent>, body: (storage: Storage, torrent: TestTorrent) => Promise<void>) => async () => {
    const t = await torrent();
    const storage = await factory(t.metainfo);
    try {
      await body(storage, t);
    } finally {
      await storage.close().catch(() => undefined);
    }
  };
  const cases: [string, () => Promise<void>][] = [
    [
      'reads back every piece written, and verifies each (v1)',
      withStorage(multiFile, async (storage, t) => {
        await writeAll(storage, t);
        for (let piece = 0; piece < t.metainfo.pieceCount; piece++) {
          assert.deepEqual(await storage.read(piece, 0, pieceSize(t.metainfo, piece)), t.pieceData(piece));
          assert.equal(await storage.verify(piece), true, `piece ${piece} verifies`);
          assert.equal(await storage.has(piece), true);
        }
      }),
    ],
    [
      'verifies v2 pieces (files aligned to pieces, gaps read as zeros)',
      withStorage(
        () => multiFile(2),
        async (storage, t) => {
          await writeAll(storage, t);
          for (let piece = 0; piece < t.metainfo.pieceCount; piece++) assert.equal(await storage.verify(piece), true, `piece ${piece} verifies`);
          // a.bin ends at 40,000 inside piece 1; the rest of piece 1 is a gap before the next file.
          const tail = await storage.read(1, 40_000 - 32_768, 32_768 - (40_000 - 32_768));
          assert.ok(tail.every((byte) => byte === 0));
        },
      ),
    ],
    [
      'verifies hybrid pieces, pad files reading as zeros',
      withStorage(
        () => multiFile('hybrid'),
        async (storage, t) => {
          assert.ok(t.metainfo.files.some((file) => file.padding), 'the hybrid torrent has pad files');
          await writeAll(storage, t);
          for (let piece = 0; piece < t.metainfo.pieceCount; piece++) assert.equal(await storage.verify(piece), true, `piece ${piece} verifies`);
          const padIndex = t.metainfo.files.findIndex((file) => file.padding);
          assert.equal(await storage.stat(padIndex), undefined, 'a pad file is never stored');
        },
      ),
    ],
    [
      'fails a hybrid piece whose v1 hash is wrong even when v2 passes',
      async () => {
        const t = await multiFile('hybrid');
        const pieces = t.metainfo.pieces!.slice();
        pieces[0]! ^= 1;
        const storage = await factory({ ...t.metainfo, pieces });
        try {
          await writeAll(storage, t);
          assert.equal(await storage.verify(0), false);
          assert.equal(await storage.verify(1), true);
        } finally {
          await storage.close();
        }
      },
    ],
    [
      'fails a hybrid piece whose v2 hash is wrong even when v1 passes',
      async () => {
        const t = await multiFile('hybrid');
        // sub/b.bin is smaller than a piece: its one piece is checked against its pieces root.
        const index = t.metainfo.files.findIndex((file) => file.path.join('/') === 'sub/b.bin');
        const files = t.metainfo.files.map((file, i) => (i === index ? { ...file, piecesRoot: new Uint8Array(32).fill(7) } : file));
        const storage = await factory({ ...t.metainfo, files });
        try {
          await writeAll(storage, t);
          const piece = t.metainfo.files[index]!.offset / t.metainfo.pieceLength;
          assert.equal(await storage.verify(piece), false);
          assert.equal(await storage.verify(0), true);
        } finally {
          await storage.close();
        }
      },
    ],
    [
      'assembles a piece written in blocks, in any order',
      withStorage(multiFile, async (storage, t) => {
        const data = t.pieceData(1);
        for (const offset of [BLOCK, 0]) await storage.write(1, offset, data.subarray(offset, offset + BLOCK));
        assert.equal(await storage.verify(1), true);
        assert.deepEqual(await storage.read(1, 100, 20_000), data.subarray(100, 20_100));
      }),
    ],
    [
      'says a piece never written is missing: verify false, has false, read STORAGE_MISSING_DATA',
      withStorage(multiFile, async (storage, t) => {
        assert.equal(await storage.verify(0), false);
        assert.equal(await storage.has(0), false);
        await expectCode(storage.read(0, 0, 10), 'STORAGE_MISSING_DATA');
        await storage.write(0, 0, t.pieceData(0));
        assert.equal(await storage.has(2), false);
      }),
    ],
    [
      'fails a piece holding wrong bytes, and only that piece',
      withStorage(multiFile, async (storage, t) => {
        await writeAll(storage, t);
        const bad = t.pieceData(1);
        bad[5]! ^= 0xff;
        await storage.write(1, 0, bad);
        assert.equal(await storage.verify(1), false);
        assert.equal(await storage.verify(0), true);
        assert.equal(await storage.verify(2), true);
      }),
    ],
    [
      'refuses ranges outside the torrent with STORAGE_OUT_OF_RANGE',
      withStorage(multiFile, async (storage, t) => {
        const last = t.metainfo.pieceCount - 1;
        await expectCode(storage.read(-1, 0, 1), 'STORAGE_OUT_OF_RANGE');
        await expectCode(storage.read(t.metainfo.pieceCount, 0, 1), 'STORAGE_OUT_OF_RANGE');
        await expectCode(storage.read(last, 0, pieceSize(t.metainfo, last) + 1), 'STORAGE_OUT_OF_RANGE');
        await expectCode(storage.read(0, 1.5, 1), 'STORAGE_OUT_OF_RANGE');
        await expectCode(storage.write(0, 32_000, new Uint8Array(1000)), 'STORAGE_OUT_OF_RANGE');
        await expectCode(storage.verify(t.metainfo.pieceCount), 'STORAGE_OUT_OF_RANGE');
      }),
    ],
    [
      'creates empty files on the first write, and on flush',
      withStorage(multiFile, async (storage, t) => {
        const empty = t.metainfo.files.findIndex((file) => file.length === 0 && !file.padding);
        assert.equal(await storage.stat(empty), undefined);
        await storage.write(0, 0, t.pieceData(0).subarray(0, 10));
        assert.equal((await storage.stat(empty))?.size, 0);
      }),
    ],
    [
      'reports file sizes that grow with writes and mtimes that move',
      withStorage(multiFile, async (storage, t) => {
        await storage.write(0, 0, t.pieceData(0).subarray(0, 1000));
        const first = await storage.stat(0);
        assert.equal(first?.size, 1000);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await storage.write(0, 5000, t.pieceData(0).subarray(5000, 6000));
        const second = await storage.stat(0);
        assert.equal(second?.size, 6000);
        assert.ok(first !== undefined && second !== undefined && second.mtimeNs > first.mtimeNs, 'mtime moved forward');
      }),
    ],
    [
      'reads into a given buffer, zeroing pad bytes and gaps in it',
      withStorage(
        () => multiFile('hybrid'),
        async (storage, t) => {
          await writeAll(storage, t);
          const buffer = new Uint8Array(t.metainfo.pieceLength + 10).fill(0xee);
          for (let piece = 0; piece < t.metainfo.pieceCount; piece++) {
            const got = await storage.read(piece, 0, pieceSize(t.metainfo, piece), { into: buffer });
            assert.equal(got.buffer, buffer.buffer);
            assert.deepEqual(got, t.pieceData(piece));
          }
        },
      ),
    ],
    [
      'never changes the caller\'s bytes, and returns bytes the caller may change',
      withStorage(multiFile, async (storage, t) => {
        const data = t.pieceData(0);
        const copy = data.slice();
        await storage.write(0, 0, data);
        assert.deepEqual(data, copy);
        const read = await storage.read(0, 0, 100);
        read.fill(0);
        assert.deepEqual(await storage.read(0, 0, 100), copy.subarray(0, 100));
      }),
    ],
    [
      'drops writes to pad bytes (they stay zeros)',
      withStorage(
        () => multiFile('hybrid'),
        async (storage, t) => {
          const piece = 1;
          const data = t.pieceData(piece);
          const dirty = data.slice().fill(0x55, 40_000 - 32_768);
          await storage.write(piece, 0, dirty);
          const read = await storage.read(piece, 0, data.length);
          assert.deepEqual(read.subarray(40_000 - 32_768), data.subarray(40_000 - 32_768));
          assert.equal(await storage.verify(piece), true);
        },
      ),
    ],
    [
      'handles a single-file torrent',
      withStorage(
        () => makeTestTorrent('single.bin', testBytes(50_000, 9), { pieceLength: 16384 }),
        async (storage, t) => {
          await writeAll(storage, t);
          for (let piece = 0; piece < t.metainfo.pieceCount; piece++) assert.equal(await storage.verify(piece), true);
          assert.equal((await storage.stat(0))?.size, 50_000);
        },
      ),
    ],
    [
      'rejects with the signal\'s reason once aborted',
      withStorage(multiFile, async (storage, t) => {
        const controller = new AbortController();
        controller.abort(new Error('stop'));
        await assert.rejects(storage.write(0, 0, t.pieceData(0), { signal: controller.signal }), /stop/);
        await assert.rejects(storage.read(0, 0, 1, { signal: controller.signal }), /stop/);
      }),
    ],
    [
      'refuses every operation after close with STORAGE_CLOSED',
      withStorage(multiFile, async (storage, t) => {
        await storage.write(0, 0, t.pieceData(0));
        await storage.close();
        await expectCode(storage.read(0, 0, 1), 'STORAGE_CLOSED');
        await expectCode(storage.write(0, 0, new Uint8Array(1)), 'STORAGE_CLOSED');
        await expectCode(storage.verify(0), 'STORAGE_CLOSED');
      }),
    ],
  ];
  return cases.map(([name, run]) => ({ name, run }));
}
