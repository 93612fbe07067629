import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoFile } from './demo-data.js';

const CHUNK = 1024 * 1024;

/**
 * Compares each file under `copy` with the one under `original`, byte for byte. Resolves to
 * undefined when all match, else a sentence saying the first difference.
 */
export async function firstDifference(original: string, copy: string, files: readonly DemoFile[]): Promise<string | undefined> {
  for (const file of files) {
    const difference = await compareFile(join(original, ...file.path), join(copy, ...file.path), file.length);
    if (difference !== undefined) return `${file.path.join('/')}: ${difference}`;
  }
  return undefined;
}

async function compareFile(a: string, b: string, length: number): Promise<string | undefined> {
  const left = await open(a, 'r');
  let right;
  try {
    right = await open(b, 'r');
  } catch (error) {
    await left.close();
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (error as Error).message;
  }
  try {
    const size = (await right.stat()).size;
    if (size !== length) return `${size} bytes instead of ${length}`;
    const x = Buffer.alloc(CHUNK);
    const y = Buffer.alloc(CHUNK);
    for (let offset = 0; offset < length; offset += CHUNK) {
      const n = Math.min(CHUNK, length - offset);
      await Promise.all([left.read(x, 0, n, offset), right.read(y, 0, n, offset)]);
      if (!x.subarray(0, n).equals(y.subarray(0, n))) return `differs within bytes ${offset} to ${offset + n - 1}`;
    }
    return undefined;
  } finally {
    await Promise.all([left.close(), right.close()]);
  }
}
