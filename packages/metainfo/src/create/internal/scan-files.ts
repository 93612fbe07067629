// Lists the files a torrent of a path will hold, in the torrent's order.
//  - A file: a torrent of that one file. A folder: every regular file below it.
//  - Hidden entries (a name starting with ".") below the root are left out unless asked for:
//    they are mostly tool state (.git, .DS_Store) nobody means to share. The root itself is
//    kept even if hidden, since it was named explicitly.
//  - Symbolic links below the root are skipped, never followed: following them could take
//    files from outside the folder, or loop. Sockets, FIFOs and devices are skipped too (they
//    have no fixed content). The root is followed if it is a link, as the user named it.
//  - Folders with no files leave no trace (a torrent lists files only); empty files are kept.
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { sortByPath } from './file-order.js';

export interface ScannedFile {
  /** Components below the root (for a single file, just its name). */
  readonly path: readonly string[];
  /** Where to read it. */
  readonly absolutePath: string;
  readonly length: number;
}

export interface ScanResult {
  readonly name: string;
  /** False when the path is a single file. */
  readonly isDirectory: boolean;
  /** In torrent order: by path, component by component, comparing UTF-8 bytes. */
  readonly files: readonly ScannedFile[];
  /** Entries left out that were not hidden: symlinks, sockets, FIFOs, devices (paths below the root). */
  readonly skipped: readonly string[];
}

export async function scanFiles(path: string, includeHidden: boolean): Promise<ScanResult> {
  const root = resolve(path);
  const rootStat = await stat(root);
  const name = basename(root);
  if (rootStat.isFile()) return { name, isDirectory: false, files: [{ path: [name], absolutePath: root, length: rootStat.size }], skipped: [] };
  if (!rootStat.isDirectory()) throw Object.assign(new Error(`${path} is neither a file nor a folder`), { code: 'ERR_NOT_FILE_OR_FOLDER' });

  const files: ScannedFile[] = [];
  const skipped: string[] = [];
  const walk = async (directory: string, components: readonly string[]): Promise<void> => {
    const entries = (await readdir(directory, { withFileTypes: true })).filter((entry) => includeHidden || !entry.name.startsWith('.'));
    const sizes = entries.map((entry) => (entry.isFile() ? lstat(join(directory, entry.name)).then((s) => s.size) : undefined));
    // Sizes of a folder's files are asked for all at once: one round trip, not one per file.
    await Promise.all(sizes.filter((size) => size !== undefined));
    for (const [i, entry] of entries.entries()) {
      const absolutePath = join(directory, entry.name);
      const filePath = [...components, entry.name];
      const size = sizes[i];
      if (entry.isDirectory()) await walk(absolutePath, filePath);
      else if (size !== undefined) files.push({ path: filePath, absolutePath, length: await size });
      else skipped.push(filePath.join('/'));
    }
  };
  await walk(root, []);
  return { name, isDirectory: true, files: sortByPath(files, (f) => f.path), skipped: skipped.sort() };
}
