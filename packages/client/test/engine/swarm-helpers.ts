// Builds small swarms for the engine tests: random data on disk, a torrent of it, sessions
// on loopback that are all closed at the end.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTorrentFromBuffers, parseTorrent, type CreateTorrentOptions, type Metainfo } from '@gtorr/metainfo';
import { Session, type SessionOptions, type Torrent, type TorrentOptions } from '../../src/index.js';

export interface Fixture {
  readonly root: string;
  readonly metainfo: Metainfo;
  readonly files: readonly { path: string[]; data: Uint8Array }[];
  /** A folder holding the complete data, ready to seed. */
  readonly seedDir: string;
}

const cleanups: (() => Promise<void>)[] = [];

/** Closes every session and removes every folder made so far (call in afterEach). */
export async function cleanup(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gtorr-engine-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function makeFixture(sizes: readonly number[], options: CreateTorrentOptions = {}): Promise<Fixture> {
  const root = await tempDir();
  const files = sizes.map((size, i) => ({ path: [`file-${i}.bin`], data: new Uint8Array(randomBytes(size)) }));
  const created = await createTorrentFromBuffers('payload', files, { pieceLength: 32 * 1024, ...options });
  const metainfo = parseTorrent(created.torrent);
  const seedDir = join(root, 'seed');
  for (const file of files) {
    const path = join(seedDir, metainfo.name, ...file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
  }
  return { root, metainfo, files, seedDir };
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const session = new Session({ port: 0, host: '127.0.0.1', ...options });
  cleanups.push(() => session.close());
  await session.start();
  return session;
}

export function addTorrent(session: Session, source: Metainfo | string, options: TorrentOptions): Torrent {
  const torrent = session.add(source, options);
  torrent.on('error', () => undefined);
  torrent.on('warning', () => undefined);
  return torrent;
}

/** Resolves when the torrent is done, rejects after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the downloaded files equal the originals, byte for byte. */
export async function sameFiles(fixture: Fixture, dir: string): Promise<boolean> {
  for (const file of fixture.files) {
    const got = await readFile(join(dir, fixture.metainfo.name, ...file.path)).catch(() => undefined);
    if (got === undefined || !Buffer.from(file.data).equals(got)) return false;
  }
  return true;
}
