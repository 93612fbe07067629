import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTorrent, createTorrentFromBuffers, fileTreeHashes, hashBlocksV2, MetainfoErrorCode, parseTorrent, type TorrentVersion } from '../../src/index.js';
import { hex, NESTED_TREE, tempDir, writeTree } from './helpers.js';

const fixed = { creationDate: 1_700_000_000, createdBy: 'gtorr/test' } as const;
const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest();
const versions: TorrentVersion[] = [1, 2, 'hybrid'];

const work = tempDir('create');
afterAll(() => work.cleanup());
const nested = join(work.path, 'nested');
const contents = writeTree(nested, NESTED_TREE);

describe('createTorrentFromBuffers', () => {
  it('writes a v1 single-file torrent whose pieces are the SHA-1 of each piece', async () => {
    const data = Buffer.alloc(40_000, 7);
    data.write('distinct start');
    const created = await createTorrentFromBuffers('file.bin', data, { pieceLength: 16384, ...fixed });
    const parsed = parseTorrent(created.torrent);
    expect(parsed.version).toBe(1);
    expect(parsed.isDirectory).toBe(false);
    expect(parsed.length).toBe(40_000);
    expect(parsed.pieceCount).toBe(3);
    const expected = Buffer.concat([sha1(data.subarray(0, 16384)), sha1(data.subarray(16384, 32768)), sha1(data.subarray(32768))]);
    expect(hex(parsed.pieces)).toBe(hex(expected));
    expect(hex(created.infoHash.v1)).toBe(hex(parsed.infoHash.v1));
    expect(hex(created.infoHash.v1)).toBe(hex(sha1(parsed.infoBytes)));
  });

  it('writes trackers in tiers, web seeds, private, comment, source, created by and creation date', async () => {
    const created = await createTorrentFromBuffers('a.txt', Buffer.from('hello'), {
      announce: ['http://one.example/announce', ['udp://two.example:6969', 'http://three.example/announce']],
      urlList: ['http://seed.example/files/'],
      private: true,
      comment: 'a comment',
      source: 'SRC',
      ...fixed,
    });
    const parsed = parseTorrent(created.torrent);
    expect(parsed.announce).toEqual([['http://one.example/announce'], ['udp://two.example:6969', 'http://three.example/announce']]);
    expect(parsed.urlList).toEqual(['http://seed.example/files/']);
    expect(parsed.private).toBe(true);
    expect(parsed.comment).toBe('a comment');
    expect(parsed.createdBy).toBe('gtorr/test');
    expect(parsed.creationDate).toBe(1_700_000_000);
    expect(Buffer.from(parsed.infoBytes).toString('latin1')).toContain('6:source3:SRC');
  });

  it('writes one tracker as announce only, and leaves out fields set to null', async () => {
    const created = await createTorrentFromBuffers('a.txt', Buffer.from('hello'), { announce: ['http://one.example/announce'], createdBy: null, creationDate: null });
    const text = Buffer.from(created.torrent).toString('latin1');
    expect(text).toContain('8:announce27:http://one.example/announce');
    expect(text).not.toContain('announce-list');
    expect(text).not.toContain('created by');
    expect(text).not.toContain('creation date');
  });

  it('defaults created by to gtorr/<version> and the creation date to now', async () => {
    const before = Math.floor(Date.now() / 1000);
    const parsed = parseTorrent((await createTorrentFromBuffers('a.txt', Buffer.from('x'))).torrent);
    expect(parsed.createdBy).toMatch(/^gtorr\/\d+\.\d+\.\d+/);
    expect(parsed.creationDate).toBeGreaterThanOrEqual(before);
    expect(parsed.creationDate).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('gives v2 files the pieces roots and piece layers of their Merkle trees', async () => {
    const big = Buffer.alloc(100_000, 1);
    const small = Buffer.alloc(20_000, 2);
    const created = await createTorrentFromBuffers('dir', [{ path: ['big'], data: big }, { path: ['small'], data: small }], { version: 2, pieceLength: 32768, ...fixed });
    const parsed = parseTorrent(created.torrent);
    const bigTree = fileTreeHashes(hashBlocksV2(big), 32768);
    const smallTree = fileTreeHashes(hashBlocksV2(small), 32768);
    expect(parsed.files.map((f) => [f.path.join('/'), hex(f.piecesRoot), f.offset])).toEqual([
      ['big', hex(bigTree.piecesRoot), 0],
      ['small', hex(smallTree.piecesRoot), 4 * 32768],
    ]);
    expect([...parsed.pieceLayers!.keys()]).toEqual([hex(bigTree.piecesRoot)]);
    expect(hex(parsed.pieceLayers!.get(hex(bigTree.piecesRoot)!))).toBe(hex(bigTree.pieceLayer));
    expect(hex(created.infoHash.v2)).toBe(hex(createHash('sha256').update(parsed.infoBytes).digest()));
  });

  it('sorts files by path component bytes, whatever order they are given in', async () => {
    const files = [
      { path: ['a.txt'], data: Buffer.from('1') },
      { path: ['a-b', 'x'], data: Buffer.from('2') },
      { path: ['a', 'y'], data: Buffer.from('3') },
      { path: ['B'], data: Buffer.from('4') },
    ];
    const one = await createTorrentFromBuffers('d', files, { version: 'hybrid', ...fixed });
    const two = await createTorrentFromBuffers('d', [...files].reverse(), { version: 'hybrid', ...fixed });
    expect(hex(two.torrent)).toBe(hex(one.torrent));
    expect(one.files.map((f) => f.path.join('/'))).toEqual(['B', 'a/y', 'a-b/x', 'a.txt']);
  });

  it('refuses what cannot be shared: no data, unsafe or duplicate paths, bad piece lengths', async () => {
    await expect(createTorrentFromBuffers('d', [])).rejects.toMatchObject({ code: MetainfoErrorCode.BAD_FILES });
    await expect(createTorrentFromBuffers('d', [{ path: ['e'], data: new Uint8Array(0) }])).rejects.toMatchObject({ code: MetainfoErrorCode.BAD_FILES });
    await expect(createTorrentFromBuffers('d', [{ path: ['..', 'x'], data: Buffer.from('1') }])).rejects.toMatchObject({ code: MetainfoErrorCode.BAD_PATH });
    await expect(createTorrentFromBuffers('..', Buffer.from('1'))).rejects.toMatchObject({ code: MetainfoErrorCode.BAD_NAME });
    const twice = [
      { path: ['x'], data: Buffer.from('1') },
      { path: ['x'], data: Buffer.from('2') },
    ];
    await expect(createTorrentFromBuffers('d', twice)).rejects.toMatchObject({ code: MetainfoErrorCode.DUPLICATE_PATH });
    const fileAndFolder = [
      { path: ['x'], data: Buffer.from('1') },
      { path: ['x', 'y'], data: Buffer.from('2') },
    ];
    await expect(createTorrentFromBuffers('d', fileAndFolder)).rejects.toMatchObject({ code: MetainfoErrorCode.DUPLICATE_PATH });
    await expect(createTorrentFromBuffers('d', Buffer.from('1'), { pieceLength: 3000 })).rejects.toThrow(RangeError);
    await expect(createTorrentFromBuffers('d', Buffer.from('1'), { pieceLength: 8192 })).rejects.toThrow(RangeError);
  });
});

describe('createTorrent from disk', () => {
  for (const version of versions) {
    it(`makes a v${version} torrent of nested folders that our reader accepts with the same info hash`, async () => {
      const created = await createTorrent(nested, { version, pieceLength: 32768, threads: 1, ...fixed });
      const parsed = parseTorrent(created.torrent);
      expect(hex(parsed.infoHash.v1)).toBe(hex(created.infoHash.v1));
      expect(hex(parsed.infoHash.v2)).toBe(hex(created.infoHash.v2));
      expect(parsed.version).toBe(version);
      expect(parsed.name).toBe('nested');
      const real = parsed.files.filter((f) => !f.padding);
      expect(real.map((f) => [f.path.join('/'), f.length])).toEqual([...contents].map(([path, data]) => [path, data.length]).sort());
      expect(parsed.pieceCount).toBe(created.pieceCount);
      // v2 and hybrid: every file starts on a piece boundary.
      if (version !== 1) for (const file of real) expect(file.offset % 32768).toBe(0);
    });
  }

  it('gives the same bytes from the worker threads as from the calling thread', async () => {
    for (const version of versions) {
      const onThreads = await createTorrent(nested, { version, pieceLength: 16384, threads: 2, hashOnCallingThread: false, ...fixed });
      const inline = await createTorrent(nested, { version, pieceLength: 16384, threads: 1, ...fixed });
      expect(hex(onThreads.torrent), String(version)).toBe(hex(inline.torrent));
    }
  });

  it('is deterministic: the same folder gives the same bytes', async () => {
    const a = await createTorrent(nested, { version: 'hybrid', threads: 1, ...fixed });
    const b = await createTorrent(nested, { version: 'hybrid', threads: 1, ...fixed });
    expect(hex(a.torrent)).toBe(hex(b.torrent));
  });

  it('leaves out hidden files and folders unless asked, skips symlinks and ignores empty folders', async () => {
    const root = join(work.path, 'hidden');
    writeTree(root, { 'visible.txt': 10, '.secret': 5, '.git/config': 20, 'sub/.DS_Store': 3, 'sub/kept.txt': 4 });
    mkdirSync(join(root, 'empty-folder'));
    symlinkSync(join(root, 'visible.txt'), join(root, 'link.txt'));
    symlinkSync(join(root, 'sub'), join(root, 'link-folder'));
    const plain = await createTorrent(root, { threads: 1, ...fixed });
    expect(plain.files.map((f) => f.path.join('/'))).toEqual(['sub/kept.txt', 'visible.txt']);
    expect(plain.skipped).toEqual(['link-folder', 'link.txt']);
    const all = await createTorrent(root, { includeHidden: true, threads: 1, ...fixed });
    expect(all.files.map((f) => f.path.join('/'))).toEqual(['.git/config', '.secret', 'sub/.DS_Store', 'sub/kept.txt', 'visible.txt']);
  });

  it('makes a single-file torrent of a file, named after it', async () => {
    const created = await createTorrent(join(nested, 'video/clip.mp4'), { version: 'hybrid', pieceLength: 32768, threads: 1, ...fixed });
    const parsed = parseTorrent(created.torrent);
    expect(parsed.isDirectory).toBe(false);
    expect(parsed.name).toBe('clip.mp4');
    expect(parsed.files.map((f) => [f.path, f.length, f.padding])).toEqual([[['clip.mp4'], 65_537, false]]);
  });

  it('keeps an empty file, and refuses a folder with nothing to share', async () => {
    const created = await createTorrent(nested, { threads: 1, ...fixed });
    expect(created.files.find((f) => f.path.join('/') === 'empty.dat')?.length).toBe(0);
    const bare = join(work.path, 'bare');
    writeTree(bare, { '.only-hidden': 3 });
    mkdirSync(join(bare, 'empty'));
    await expect(createTorrent(bare, { threads: 1 })).rejects.toMatchObject({ code: MetainfoErrorCode.BAD_FILES });
    await expect(createTorrent(join(work.path, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports progress up to the total', async () => {
    const seen: number[] = [];
    const created = await createTorrent(nested, { version: 'hybrid', pieceLength: 16384, threads: 2, onProgress: (p) => seen.push(p.bytesHashed / p.totalBytes) });
    expect(created.pieceCount).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1);
  });
});

describe('createTorrent cancellation and failures', () => {
  const bigFile = join(work.path, 'big', 'sparse.bin');
  mkdirSync(join(work.path, 'big'));
  writeFileSync(bigFile, '');
  // Sparse: 96 MiB of zeros that cost no disk, and six 16 MiB jobs to cancel between.
  truncateSync(bigFile, 96 * 1024 * 1024);
  /** Descriptors this process holds on `path`. */
  const openOn = (path: string) =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false;
      }
    }).length;

  const modes = [
    { threads: 1, hashOnCallingThread: true },
    { threads: 2, hashOnCallingThread: false },
  ];
  for (const mode of modes) {
    it(`stops when aborted, rejects with the reason and leaves no file open (${JSON.stringify(mode)})`, async () => {
      const controller = new AbortController();
      const reason = new Error('enough');
      let progressCalls = 0;
      const promise = createTorrent(bigFile, {
        ...mode,
        pieceLength: 1 << 20,
        signal: controller.signal,
        onProgress: () => {
          progressCalls++;
          controller.abort(reason);
        },
      });
      await expect(promise).rejects.toBe(reason);
      expect(progressCalls).toBe(1);
      expect(openOn(bigFile)).toBe(0);
    });
  }

  it('rejects with the error of a throwing progress callback, on workers too', async () => {
    const boom = new Error('callback broke');
    const onProgress = () => {
      throw boom;
    };
    for (const mode of modes) await expect(createTorrent(bigFile, { ...mode, pieceLength: 1 << 20, onProgress })).rejects.toBe(boom);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('never started'));
    await expect(createTorrent(bigFile, { signal: controller.signal })).rejects.toThrow('never started');
  });

  for (const mode of modes) {
    it(`fails with ERR_FILE_CHANGED when a file shrinks while it is hashed (${JSON.stringify(mode)})`, async () => {
      const shrinking = join(work.path, 'big', `shrinking-${mode.threads}.bin`);
      writeFileSync(shrinking, '');
      truncateSync(shrinking, 64 * 1024 * 1024);
      const promise = createTorrent(shrinking, { ...mode, pieceLength: 1 << 20, onProgress: () => truncateSync(shrinking, 1024) });
      await expect(promise).rejects.toMatchObject({ code: 'ERR_FILE_CHANGED', message: expect.stringContaining(shrinking) });
    });
  }
});
