// What both examples' tests need: random files, a torrent of them, and a gtorr session seeding
// them on 127.0.0.1 (optionally through a tracker of its own). The packages are passed in,
// since this folder is not a package and resolves none itself.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Client from '@gtorr/client';
import type * as Metainfo from '@gtorr/metainfo';
import type * as TrackerHttp from '@gtorr/tracker-http';

export interface Packages {
  readonly client: typeof Client;
  readonly metainfo: typeof Metainfo;
  readonly trackerHttp?: typeof TrackerHttp;
}

export interface LocalSeeder {
  readonly torrentPath: string;
  readonly metainfo: Metainfo.Metainfo;
  readonly files: readonly { readonly path: string; readonly data: Uint8Array }[];
  /** `127.0.0.1:port` of the seeding session. */
  readonly address: string;
  stop(): Promise<void>;
}

export async function startLocalSeeder(packages: Packages, options: { withTracker?: boolean } = {}): Promise<LocalSeeder> {
  const { client, metainfo: mi, trackerHttp } = packages;
  const root = await mkdtemp(join(tmpdir(), 'gtorr-example-'));
  const tracker = options.withTracker === true && trackerHttp !== undefined ? trackerHttp.createTrackerServer() : undefined;
  const trackerAddress = tracker === undefined ? undefined : await tracker.start({ host: '127.0.0.1', port: 0 });
  const files = [700_000, 123_456, 64 * 1024].map((size, i) => ({ path: `part-${i}.bin`, data: new Uint8Array(randomBytes(size)) }));
  const created = await mi.createTorrentFromBuffers('example', files.map((f) => ({ path: [f.path], data: f.data })), {
    pieceLength: 64 * 1024,
    ...(trackerAddress === undefined ? {} : { announce: [trackerAddress.announceUrl] }),
  });
  const torrentPath = join(root, 'example.torrent');
  await writeFile(torrentPath, created.torrent);
  const metainfo = mi.parseTorrent(created.torrent);
  for (const file of files) {
    const path = join(root, 'seed', 'example', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
  }
  const session = new client.Session({ port: 0, host: '127.0.0.1' });
  await session.start();
  const torrent = session.add(metainfo, { directory: join(root, 'seed'), resume: false });
  torrent.on('error', () => undefined);
  await torrent.whenDone();
  return {
    torrentPath,
    metainfo,
    files,
    address: `127.0.0.1:${session.port}`,
    async stop() {
      await session.close();
      await tracker?.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
