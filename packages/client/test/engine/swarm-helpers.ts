// Builds small swarms for the engine tests: random data on disk, a torrent of it, sessions,
// trackers and child processes on loopback, all stopped and removed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTorrentFromBuffers, parseTorrent, type CreateTorrentOptions, type Metainfo } from '@gtorr/metainfo';
import { FileStorage, type OperationOptions, type ReadOptions, type Storage, type StoredFileState } from '@gtorr/storage';
import { PeerConnection } from '@gtorr/wire';
import { createTrackerServer, type TrackerServer, type TrackerServerOptions } from '@gtorr/tracker-http';
import { parsePeerAddress, Session, type SessionOptions, type Torrent, type TorrentEvents, type TorrentOptions } from '../../src/index.js';

export interface Fixture {
  readonly root: string;
  readonly metainfo: Metainfo;
  /** The .torrent file's bytes. */
  readonly torrent: Uint8Array;
  readonly files: readonly { path: string[]; data: Uint8Array }[];
  /** A folder holding the complete data, ready to seed. */
  readonly seedDir: string;
}

/** A piece length every fixture uses unless told otherwise: file sizes in its multiples keep files apart. */
export const PIECE_LENGTH = 32 * 1024;

const cleanups: (() => Promise<void>)[] = [];

/** Closes every session, tracker and child process and removes every folder made so far (call in afterEach). */
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
  const created = await createTorrentFromBuffers('payload', files, { pieceLength: PIECE_LENGTH, ...options });
  const metainfo = parseTorrent(created.torrent);
  const seedDir = join(root, 'seed');
  for (const file of files) {
    const path = join(seedDir, metainfo.name, ...file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
  }
  return { root, metainfo, torrent: created.torrent, files, seedDir };
}

/** A folder holding only the files of `fixture` at `indices` (so only their pieces can be seeded). */
export async function partialSeedDir(fixture: Fixture, indices: readonly number[]): Promise<string> {
  const dir = await tempDir();
  for (const i of indices) {
    const file = fixture.files[i]!;
    const to = join(dir, fixture.metainfo.name, ...file.path);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(fixture.seedDir, fixture.metainfo.name, ...file.path), to);
  }
  return dir;
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

export interface Seeder {
  readonly session: Session;
  readonly torrent: Torrent;
  /** `host:port`, to give a leecher by hand. */
  readonly address: string;
}

/**
 * A session seeding `fixture` from its complete folder, checked and seeding when this resolves.
 * No resume file: several seeders share the folder.
 */
export async function startSeeder(fixture: Fixture, options: Partial<TorrentOptions> = {}, sessionOptions: SessionOptions = {}): Promise<Seeder> {
  const session = await startSession(sessionOptions);
  const torrent = addTorrent(session, fixture.metainfo, { directory: fixture.seedDir, resume: false, ...options });
  await within(torrent.whenDone(), 10_000, 'seed check');
  return { session, torrent, address: `${sessionOptions.host ?? '127.0.0.1'}:${session.port}` };
}

/** A loopback port that was free a moment ago and where nothing listens now: dials to it are refused. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
  return port;
}

/** Resolves when the promise does, rejects after `ms`. */
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

/**
 * Resolves when the torrent is done, rejects after `ms`, or at once when it bans a peer
 * (in a swarm of honest peers a ban means the download cannot go on as it should).
 */
export async function downloaded(torrent: Torrent, ms: number): Promise<void> {
  let onBan: ((host: string, why: string) => void) | undefined;
  const banned = new Promise<never>((_, reject) => {
    onBan = (host, why) => reject(new Error(`download: it banned ${host}, which ${why}`));
    torrent.on('peer:ban', onBan);
  });
  try {
    await within(Promise.race([torrent.whenDone(), banned]), ms, 'download');
  } finally {
    torrent.off('peer:ban', onBan!);
  }
}

/** Resolves once `condition` holds (polled every 20 ms), rejects after `ms`. */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  let poll: NodeJS.Timeout | undefined;
  const met = new Promise<void>((resolve) => {
    poll = setInterval(() => {
      if (condition()) resolve();
    }, 20);
  });
  try {
    await within(met, ms, what);
  } finally {
    clearInterval(poll);
  }
}

/**
 * The arguments of the next `name` event of `torrent` that `accept` takes (any, by default);
 * rejects after `ms`. Start waiting before doing what causes the event.
 */
export function nextEvent<K extends keyof TorrentEvents>(torrent: Torrent, name: K, ms: number, accept: (...args: TorrentEvents[K]) => boolean = () => true): Promise<TorrentEvents[K]> {
  const emitter = torrent as unknown as EventEmitter;
  let listener: ((...args: unknown[]) => void) | undefined;
  const event = new Promise<TorrentEvents[K]>((resolve) => {
    listener = (...args: unknown[]) => {
      if (accept(...(args as TorrentEvents[K]))) resolve(args as TorrentEvents[K]);
    };
    emitter.on(name, listener);
  });
  return within(event, ms, `event ${name}`).finally(() => emitter.off(name, listener!));
}

/** Every `name` event of `torrent` from now on, as argument lists. */
export function recordEvents<K extends keyof TorrentEvents>(torrent: Torrent, name: K): TorrentEvents[K][] {
  const seen: TorrentEvents[K][] = [];
  (torrent as unknown as EventEmitter).on(name, (...args: unknown[]) => seen.push(args as TorrentEvents[K]));
  return seen;
}

/** Whether the downloaded files equal the originals, byte for byte. */
export async function sameFiles(fixture: Fixture, dir: string): Promise<boolean> {
  for (const file of fixture.files) {
    const got = await readFile(join(dir, fixture.metainfo.name, ...file.path)).catch(() => undefined);
    if (got === undefined || !Buffer.from(file.data).equals(got)) return false;
  }
  return true;
}

/** Our HTTP tracker on 127.0.0.1, any free port; stopped at cleanup. */
export async function startTracker(options: TrackerServerOptions = {}): Promise<{ tracker: TrackerServer; url: string }> {
  const tracker = createTrackerServer(options);
  cleanups.push(() => tracker.stop());
  const { announceUrl } = await tracker.start({ port: 0, host: '127.0.0.1' });
  return { tracker, url: announceUrl };
}

/**
 * A storage that lies: it reads true until `corrupt` is set, then every byte it reads is
 * inverted. Set `corrupt` once the torrent's check is done, and its peers are sent garbage.
 */
export class CorruptingStorage implements Storage {
  corrupt = false;
  readonly #inner: Storage;

  constructor(inner: Storage) {
    this.#inner = inner;
  }

  get metainfo(): Metainfo {
    return this.#inner.metainfo;
  }

  async read(piece: number, offset: number, length: number, options?: ReadOptions): Promise<Uint8Array> {
    const bytes = await this.#inner.read(piece, offset, length, options);
    if (this.corrupt) for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
    return bytes;
  }

  write(piece: number, offset: number, data: Uint8Array, options?: OperationOptions): Promise<void> {
    return this.#inner.write(piece, offset, data, options);
  }

  verify(piece: number, options?: OperationOptions): Promise<boolean> {
    return this.#inner.verify(piece, options);
  }

  has(piece: number, options?: OperationOptions): Promise<boolean> {
    return this.#inner.has(piece, options);
  }

  stat(fileIndex: number, options?: OperationOptions): Promise<StoredFileState | undefined> {
    return this.#inner.stat(fileIndex, options);
  }

  flush(options?: OperationOptions): Promise<void> {
    return this.#inner.flush(options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** A seeder of the complete folder whose storage turns corrupt once its check is done: every block it sends is garbage. */
export async function startCorruptSeeder(fixture: Fixture, sessionOptions: SessionOptions): Promise<Seeder> {
  let made: CorruptingStorage | undefined;
  const storage = (metainfo: Metainfo): Storage => (made = new CorruptingStorage(new FileStorage(metainfo, fixture.seedDir, { readOnly: true })));
  // No directory: the storage factory stands in for it.
  const seeder = await startSeeder(fixture, { directory: undefined, storage }, sessionOptions);
  made!.corrupt = true;
  return seeder;
}

/** A bare wire connection to `address` for `fixture`'s torrent, for playing a misbehaving peer; closed at cleanup. */
export async function connectRaw(fixture: Fixture, address: string): Promise<PeerConnection> {
  const { host, port } = parsePeerAddress(address)!;
  const connection = PeerConnection.connect({ host, port, infoHash: fixture.metainfo.infoHash.v1 ?? fixture.metainfo.infoHash.v2!, pieceCount: fixture.metainfo.pieceCount });
  cleanups.push(() => {
    connection.destroy();
    return Promise.resolve();
  });
  await within(connection.ready, 5000, 'handshake');
  return connection;
}

/** A child process whose stdout is read as JSON lines; killed at cleanup if still running. */
export interface Child {
  readonly process: ChildProcess;
  /** Each line of stdout, parsed. */
  readonly lines: AsyncIterable<Record<string, unknown>>;
  /** Resolves when it has exited (with its signal, if killed). */
  readonly exited: Promise<NodeJS.Signals | null>;
}

export function spawnNode(script: string, args: readonly string[], cwd: string): Child {
  const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await within(exited, 5000, 'child exit');
  });
  const reader = createInterface({ input: child.stdout });
  async function* lines(): AsyncIterable<Record<string, unknown>> {
    for await (const line of reader) if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>;
  }
  return { process: child, lines: lines(), exited };
}
