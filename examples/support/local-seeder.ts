// What both examples' tests need: random files, a torrent of them, and a gtorr session seeding
// them on 127.0.0.1 (optionally through a tracker of its own).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Session } from '@gtorr/client';
import { createTorrentFromBuffers, parseTorrent, type Metainfo } from '@gtorr/metainfo';
import { createTrackerServer } from '@gtorr/tracker-http';

export interface LocalSeeder {
  readonly torrentPath: string;
  readonly metainfo: Metainfo;
  readonly files: readonly { readonly path: string; readonly data: Uint8Array }[];
  /** `127.0.0.1:port` of the seeding session. */
  readonly address: string;
  stop(): Promise<void>;
}

export async function startLocalSeeder(options: { withTracker?: boolean } = {}): Promise<LocalSeeder> {
  const root = await mkdtemp(join(tmpdir(), 'gtorr-example-'));
  const tracker = options.withTracker === true ? createTrackerServer() : undefined;
  const trackerAddress = tracker === undefined ? undefined : await tracker.start({ host: '127.0.0.1', port: 0 });
  const files = [700_000, 123_456, 64 * 1024].map((size, i) => ({ path: `part-${i}.bin`, data: new Uint8Array(randomBytes(size)) }));
  const created = await createTorrentFromBuffers('example', files.map((f) => ({ path: [f.path], data: f.data })), {
    pieceLength: 64 * 1024,
    ...(trackerAddress === undefined ? {} : { announce: [trackerAddress.announceUrl] }),
  });
  const torrentPath = join(root, 'example.torrent');
  await writeFile(torrentPath, created.torrent);
  const metainfo = parseTorrent(created.torrent);
  for (const file of files) {
    const path = join(root, 'seed', 'example', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
  }
  const session = new Session({ port: 0, host: '127.0.0.1' });
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
