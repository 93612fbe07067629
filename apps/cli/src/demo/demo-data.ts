import { randomFill } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const fill = promisify(randomFill);

/** A file of the demo's data: its path below the data folder and its size. */
export interface DemoFile {
  readonly path: readonly string[];
  readonly length: number;
}

// A few files of uneven sizes, one in a subfolder, so pieces straddle file boundaries.
const LAYOUT: readonly { path: string[]; share: number }[] = [
  { path: ['video.bin'], share: 0.45 },
  { path: ['music', 'album.bin'], share: 0.25 },
  { path: ['music', 'cover.bin'], share: 0.15 },
  { path: ['notes.bin'], share: 0.1 },
  { path: ['readme.bin'], share: 0.05 },
];

/** How `totalBytes` is split into files (fewer files when there are too few bytes to go round). Pure. */
export function demoLayout(totalBytes: number): DemoFile[] {
  const count = Math.max(1, Math.min(LAYOUT.length, totalBytes));
  const files = LAYOUT.slice(0, count);
  const shares = files.reduce((sum, f) => sum + f.share, 0);
  let left = totalBytes;
  return files.map((file, i) => {
    const length = i === count - 1 ? left : Math.max(1, Math.floor((totalBytes * file.share) / shares));
    left -= length;
    return { path: file.path, length };
  });
}

const CHUNK = 1024 * 1024;

/** Writes random bytes into `dir` in the demo's layout. */
export async function writeDemoData(dir: string, totalBytes: number, signal?: AbortSignal): Promise<DemoFile[]> {
  const files = demoLayout(totalBytes);
  const buffer = Buffer.alloc(Math.min(CHUNK, totalBytes));
  for (const file of files) {
    const path = join(dir, ...file.path);
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'w');
    try {
      for (let written = 0; written < file.length; ) {
        signal?.throwIfAborted();
        const part = buffer.subarray(0, Math.min(CHUNK, file.length - written));
        await fill(part);
        await handle.write(part);
        written += part.length;
      }
    } finally {
      await handle.close();
    }
  }
  return files;
}
