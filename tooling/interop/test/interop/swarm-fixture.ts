// A small multi-file torrent of random data for the reference-client tests: three files
// (one of a single byte) across a sub-folder, 64 KiB pieces, made by libtorrent.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTorrent } from '../../src/index.js';

export const NAME = 'swarm';
const FILES: Record<string, number> = { 'a.bin': 300_000, 'sub/b.bin': 1_048_699, 'c.txt': 1 };

export interface SwarmFixture {
  readonly dir: string;
  /** Holds NAME/..., the complete data. */
  readonly seedDir: string;
  readonly torrentPath: string;
  readonly infoHash: string;
  /** A fresh empty folder under `dir`. */
  freshDir(label: string): string;
  /** Paths (relative to NAME/) whose bytes in `saveDir` differ from the seed's, or are missing. */
  differences(saveDir: string): string[];
  remove(): void;
}

export async function makeSwarmFixture(): Promise<SwarmFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'gtorr-interop-swarm-'));
  const seedDir = join(dir, 'seed');
  const contents = new Map<string, Buffer>();
  for (const [path, size] of Object.entries(FILES)) {
    const file = join(seedDir, NAME, path);
    mkdirSync(dirname(file), { recursive: true });
    const bytes = randomBytes(size);
    writeFileSync(file, bytes);
    contents.set(path, bytes);
  }
  const torrentPath = join(dir, `${NAME}.torrent`);
  const { infoHash } = await createTorrent({ source: join(seedDir, NAME), output: torrentPath, pieceLength: 65_536, timeoutMs: 20_000 });
  let n = 0;
  return {
    dir,
    seedDir,
    torrentPath,
    infoHash,
    freshDir(label) {
      const fresh = join(dir, `${label}-${n++}`);
      mkdirSync(fresh);
      return fresh;
    },
    differences(saveDir) {
      return [...contents].flatMap(([path, bytes]) => {
        try {
          return readFileSync(join(saveDir, NAME, path)).equals(bytes) ? [] : [path];
        } catch {
          return [`${path} (missing)`];
        }
      });
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
