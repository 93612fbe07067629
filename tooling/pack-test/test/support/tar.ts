// Reads npm tarballs (gzipped ustar) without a tar binary: what is in them, and one file's
// text. npm puts every entry below `package/`.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path below `package/`, e.g. `dist/index.js`. */
  readonly path: string;
  readonly size: number;
  readonly data: Uint8Array;
}

const BLOCK = 512;

function field(block: Uint8Array, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/** Every regular file of an npm tarball. */
export function readTarball(path: string): TarEntry[] {
  const tar = gunzipSync(readFileSync(path));
  const entries: TarEntry[] = [];
  let longPath: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1) || '0';
    const prefix = field(header, 345, 155);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      // A pax header: a long path for the next entry.
      const match = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data));
      longPath = match?.[1];
      continue;
    }
    if (type !== '0') continue;
    const full = longPath ?? (prefix ? `${prefix}/${name}` : name);
    longPath = undefined;
    entries.push({ path: full.replace(/^package\//, ''), size, data });
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

/** One file of a tarball as text. */
export function readTarballText(path: string, file: string): string {
  const entry = readTarball(path).find((e) => e.path === file);
  if (!entry) throw new Error(`${path} has no ${file}`);
  return new TextDecoder().decode(entry.data);
}
