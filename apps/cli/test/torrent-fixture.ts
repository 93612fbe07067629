import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, type Torrent } from '@gtorr/client';
import { createTorrent, parseTorrent, type Metainfo } from '@gtorr/metainfo';
import { expect } from 'vitest';

/** Bytes from a seed, the same every run. */
export function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The files of the test torrent `album`, below its folder. */
export const ALBUM_FILES: readonly (readonly [string[], number])[] = [
  [['one.flac'], 700_000],
  [['two.flac'], 500_000],
  [['disc 2', 'three.flac'], 300_000],
];

export interface AlbumTorrent {
  /** The folder holding `album/`. */
  readonly dataDir: string;
  readonly torrentFile: string;
  readonly metainfo: Metainfo;
}

/** Writes `album/` (three files, 1.5 MB) under a fresh folder in `root`, and its v1 torrent (no trackers) beside it. */
export async function makeAlbum(root: string): Promise<AlbumTorrent> {
  const dataDir = mkdtempSync(join(root, 'data-'));
  ALBUM_FILES.forEach(([path, length], i) => {
    mkdirSync(join(dataDir, 'album', ...path.slice(0, -1)), { recursive: true });
    writeFileSync(join(dataDir, 'album', ...path), bytes(length, i + 1));
  });
  const created = await createTorrent(join(dataDir, 'album'), { pieceLength: 32768, creationDate: null });
  const torrentFile = join(root, 'album.torrent');
  writeFileSync(torrentFile, created.torrent);
  return { dataDir, torrentFile, metainfo: parseTorrent(created.torrent) };
}

/** Asserts that `dir/album/...` holds exactly the album's bytes. */
export function expectAlbumIn(dir: string, original: string): void {
  for (const [path] of ALBUM_FILES) {
    const got = readFileSync(join(dir, 'album', ...path));
    const want = readFileSync(join(original, 'album', ...path));
    expect(got.equals(want), path.join('/')).toBe(true);
  }
}

/** A session on 127.0.0.1 (any port) serving or fetching `metainfo` in `directory`. */
export async function startPeer(metainfo: Metainfo, directory: string, peers: string[] = []): Promise<{ session: Session; torrent: Torrent; port: number }> {
  const session = new Session({ host: '127.0.0.1', port: 0 });
  const { port } = await session.start();
  const torrent = session.add(metainfo, { directory, peers, resume: false });
  torrent.on('error', () => undefined);
  return { session, torrent, port };
}

/** Every line of `text` parsed as JSON (a test fails on the first that is not). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}
