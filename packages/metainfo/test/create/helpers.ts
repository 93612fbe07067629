// Shared by the creation tests: folders of files in a temp dir, and reading our output.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temp folder removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `gtorr-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `files` (relative path -> size in random bytes, or exact bytes) under `root`; returns their contents. */
export function writeTree(root: string, files: Record<string, number | Uint8Array>): Map<string, Uint8Array> {
  const contents = new Map<string, Uint8Array>();
  for (const [path, spec] of Object.entries(files)) {
    const data = typeof spec === 'number' ? randomBytes(spec) : spec;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
    contents.set(path, data);
  }
  return contents;
}

export const hex = (bytes: Uint8Array | null | undefined): string | null => (bytes ? Buffer.from(bytes).toString('hex') : null);

/**
 * A folder with what makes layouts interesting at 32 KiB pieces: nested folders, an empty
 * file, a file of exactly one piece, files just over and under piece and block boundaries.
 */
export const NESTED_TREE: Record<string, number> = {
  'README.txt': 1234,
  'empty.dat': 0,
  'music/album one/01 intro.flac': 100_000,
  'music/album one/02 song.flac': 32_768,
  'music/album two/03 long.flac': 200_001,
  'music/cover.jpg': 16_385,
  'video/clip.mp4': 65_537,
  'zz/deep/er/still/tiny.bin': 7,
};
