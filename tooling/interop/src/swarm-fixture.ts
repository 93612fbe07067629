// Random files on disk and a v1 .torrent of them made by libtorrent: what every swarm test
// seeds from, and how it checks what a client wrote, byte for byte.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTorrent } from './create-torrent.js';

export interface SwarmFixtureOptions {
  /** The torrent's name: its root folder. */
  readonly name: string;
  /** Paths below the root folder (`/`-separated) and their sizes in bytes. */
  readonly files: Readonly<Record<string, number>>;
  readonly pieceLength: number;
  /** For libtorrent's create_torrent; default 30 s. */
  readonly timeoutMs?: number;
}

export interface SwarmFixture {
  readonly dir: string;
  /** Holds `name/...`, the complete data, ready to seed. */
  readonly seedDir: string;
  readonly torrentPath: string;
  /** v1 info hash, 40 lowercase hex digits. */
  readonly infoHash: string;
  /** A fresh empty folder under `dir`. */
  freshDir(label: string): string;
  /**
   * Files (relative to `name/`) whose bytes in `saveDir` differ from the originals or are
   * missing; `[]` when every byte is right. `allowMissingEmpty`: a missing 0-byte file is
   * not a difference (transmission never creates them).
   */
  differences(saveDir: string, options?: { allowMissingEmpty?: boolean }): string[];
  remove(): void;
}

export async function makeSwarmFixture(options: SwarmFixtureOptions): Promise<SwarmFixture> {
  const { name } = options;
  const dir = mkdtempSync(join(tmpdir(), 'gtorr-interop-swarm-'));
  const seedDir = join(dir, 'seed');
  const contents = new Map<string, Buffer>();
  for (const [path, size] of Object.entries(options.files)) {
    const file = join(seedDir, name, path);
    mkdirSync(dirname(file), { recursive: true });
    const bytes = randomBytes(size);
    writeFileSync(file, bytes);
    contents.set(path, bytes);
  }
  const torrentPath = join(dir, `${name}.torrent`);
  const { infoHash } = await createTorrent({ source: join(seedDir, name), output: torrentPath, pieceLength: options.pieceLength, timeoutMs: options.timeoutMs ?? 30_000 });
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
    differences(saveDir, check = {}) {
      return [...contents].flatMap(([path, bytes]) => {
        let got: Buffer;
        try {
          got = readFileSync(join(saveDir, name, path));
        } catch {
          return bytes.length === 0 && check.allowMissingEmpty === true ? [] : [`${path} (missing)`];
        }
        return got.equals(bytes) ? [] : [`${path} (${got.length} bytes, ${firstDifference(got, bytes)})`];
      });
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function firstDifference(got: Buffer, want: Buffer): string {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return `first differs at byte ${i}`;
  return `want ${want.length} bytes`;
}
