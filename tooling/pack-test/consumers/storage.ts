// @gtorr/storage as its README shows: a torrent made in memory with the ./test subpath,
// its pieces written to a FileStorage in a temp folder and to a MemoryStorage, each one
// verified, one corrupted; then a real torrent read with @gtorr/metainfo and its data
// checked on a worker thread (which the package loads from its own dist/hash-worker.js).
// Usage: node storage.js <file.torrent> <folder holding its data>
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTorrent } from '@gtorr/metainfo';
import { Bitfield, checkTorrent, FileStorage, MemoryStorage, type Storage } from '@gtorr/storage';
import { makeTestTorrent, testBytes } from '@gtorr/storage/test';

const [torrentFile, dataDir] = process.argv.slice(2);
if (torrentFile === undefined || dataDir === undefined) throw new TypeError('usage: node storage.js <file.torrent> <data-folder>');

const demo = await makeTestTorrent(
  'demo',
  [
    { path: ['a.bin'], data: testBytes(100_000, 1) },
    { path: ['sub', 'b.bin'], data: testBytes(30_000, 2) },
  ],
  { version: 'hybrid' },
);
const { metainfo } = demo;

/** Writes every piece, verifies each, then damages piece 0 and verifies it again. */
async function writeAndVerify(storage: Storage): Promise<{ verified: number; corruptedVerifies: boolean }> {
  const verified = new Bitfield(metainfo.pieceCount);
  for (let piece = 0; piece < metainfo.pieceCount; piece++) {
    await storage.write(piece, 0, demo.pieceData(piece));
    if (await storage.verify(piece)) verified.set(piece);
  }
  const damaged = demo.pieceData(0);
  damaged[0] = (damaged[0] ?? 0) ^ 0xff;
  await storage.write(0, 0, damaged);
  const corruptedVerifies = await storage.verify(0);
  await storage.close();
  return { verified: verified.count(), corruptedVerifies };
}

const dir = mkdtempSync(join(tmpdir(), 'gtorr-storage-consumer-'));
try {
  const file = await writeAndVerify(new FileStorage(metainfo, dir));
  const memory = await writeAndVerify(new MemoryStorage(metainfo));

  const real = parseTorrent(readFileSync(torrentFile));
  const existing = new FileStorage(real, dataDir, { readOnly: true });
  const check = await checkTorrent(existing, { workers: 1 });
  await existing.close();

  console.log(
    JSON.stringify({
      resolved: { '@gtorr/storage': import.meta.resolve('@gtorr/storage'), '@gtorr/storage/test': import.meta.resolve('@gtorr/storage/test') },
      pieceCount: metainfo.pieceCount,
      file,
      memory,
      check: { complete: check.complete, verified: check.counts.verified, files: check.files.map((f) => `${f.path.join('/')}: ${f.state}`) },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
