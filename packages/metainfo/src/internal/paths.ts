import type { BencodeValue } from '@gtorr/bencode';
import { MetainfoErrorCode as Code } from '../errors.js';
import { sanitizePathComponent } from '../path-component.js';
import type { FileEntry } from '../types.js';
import { asText, fail } from './fields.js';

/** One component made safe for disk, or METAINFO_BAD_PATH naming it. */
export function safeComponent(component: string, field: string): string {
  const safe = sanitizePathComponent(component);
  if (safe === undefined) fail(Code.BAD_PATH, `unsafe path component ${JSON.stringify(component)}`, field);
  return safe;
}

/** A v1 `path` (or BEP 47 `symlink path`): a non-empty list of byte strings, each made safe. */
export function readPathList(value: BencodeValue | undefined, maxDepth: number, field: string): string[] {
  if (!Array.isArray(value)) fail(Code.BAD_PATH, 'path is missing or not a list', field);
  if (value.length === 0) fail(Code.BAD_PATH, 'path is empty', field);
  if (value.length > maxDepth) fail(Code.LIMIT_EXCEEDED, `path has ${value.length} components, over the limit of ${maxDepth}`, field);
  return value.map((item, i) => {
    const component = asText(item);
    if (component === undefined) fail(Code.BAD_PATH, 'path component is not a string', `${field}[${i}]`);
    return safeComponent(component, `${field}[${i}]`);
  });
}

/**
 * Refuses two files at one path and a path used both as a file and as a folder (which
 * would make one file overwrite another's folder). Pad files are never written, and real
 * creators give pads of the same size the same path, so they are left out.
 */
export function checkDuplicatePaths(files: readonly FileEntry[]): void {
  const filePaths = new Set<string>();
  const folderPaths = new Set<string>();
  for (const [i, file] of files.entries()) {
    if (file.padding) continue;
    // Components never hold "/", so joining with it is unambiguous.
    const key = file.path.join('/');
    if (filePaths.has(key) || folderPaths.has(key)) fail(Code.DUPLICATE_PATH, `two entries at ${JSON.stringify(key)}`, `files[${i}]`);
    filePaths.add(key);
    let prefix = '';
    for (let c = 0; c < file.path.length - 1; c++) {
      prefix = c === 0 ? file.path[0]! : `${prefix}/${file.path[c]!}`;
      if (filePaths.has(prefix)) fail(Code.DUPLICATE_PATH, `${JSON.stringify(prefix)} is both a file and a folder`, `files[${i}]`);
      folderPaths.add(prefix);
    }
  }
}
