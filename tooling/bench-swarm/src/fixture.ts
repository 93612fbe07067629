// The benchmark torrent: one file of random bytes, v1, made once by libtorrent's
// create_torrent and kept in fixtures/.cache/bench-swarm/ for later runs.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTorrent } from '@gtorr/interop';
import { formatSize } from './options.js';
import { CACHE } from './paths.js';
import { sha1File } from './sha1.js';

export interface BenchTorrent {
  /** The torrent's name: the file's name inside a save folder. */
  readonly name: string;
  readonly torrentPath: string;
  /** Holds `name`, complete: the seeders' folder. */
  readonly seedDir: string;
  readonly infoHash: string;
  readonly length: number;
  readonly pieceLength: number;
  /** SHA-1 of the whole file, to check downloads against. */
  readonly sha1: string;
}

export async function benchTorrent(size: number, pieceLength: number, log: (line: string) => void): Promise<BenchTorrent> {
  const name = `random-${formatSize(size)}.bin`;
  const dir = join(CACHE, `random-${formatSize(size)}-${formatSize(pieceLength)}`);
  const seedDir = join(dir, 'seed');
  const torrentPath = join(dir, `${name}.torrent`);
  const metaPath = join(dir, 'meta.json');
  const dataPath = join(seedDir, name);
  if (existsSync(metaPath) && existsSync(torrentPath) && existsSync(dataPath) && statSync(dataPath).size === size) {
    return JSON.parse(readFileSync(metaPath, 'utf8')) as BenchTorrent;
  }
  mkdirSync(seedDir, { recursive: true });
  log(`making ${torrentPath} (${formatSize(size)} of random data, ${formatSize(pieceLength)} pieces), once...`);
  const created = await createTorrent({ source: dataPath, output: torrentPath, pieceLength, randomSize: size, timeoutMs: Math.max(120_000, size / 2 ** 20 / 20 * 1000) });
  const torrent: BenchTorrent = { name, torrentPath, seedDir, infoHash: created.infoHash, length: created.length, pieceLength, sha1: await sha1File(dataPath) };
  writeFileSync(metaPath, `${JSON.stringify(torrent, null, 2)}\n`);
  return torrent;
}
