import type { BencodeMap } from '@gtorr/bencode';
import { asText } from './fields.js';
import { readPathList } from './paths.js';

export interface FileAttributes {
  readonly attributes: string;
  readonly padding: boolean;
  readonly symlinkPath?: readonly string[];
}

const NONE: FileAttributes = { attributes: '', padding: false };

/**
 * BEP 47 `attr` and `symlink path` of a file dictionary. Unknown letters are kept (the BEP
 * says to ignore them, and a caller may know more); a symlink's target goes through the same
 * path rule as any path, so it can never point outside the torrent's folder.
 */
export function readAttributes(file: BencodeMap, maxDepth: number, field: string): FileAttributes {
  const attributes = asText(file.get('attr')) ?? '';
  if (attributes === '') return NONE;
  const padding = attributes.includes('p');
  if (!attributes.includes('l') || padding) return { attributes, padding };
  return { attributes, padding, symlinkPath: readPathList(file.get('symlink path'), maxDepth, `${field}["symlink path"]`) };
}
