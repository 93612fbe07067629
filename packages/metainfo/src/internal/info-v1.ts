import type { BencodeMap } from '@gtorr/bencode';
import { MetainfoErrorCode as Code } from '../errors.js';
import type { FileEntry } from '../types.js';
import { readAttributes } from './bep-0047-attributes.js';
import { addLength, fail, isMap, preferUtf8, readLength } from './fields.js';
import type { Limits } from './limits.js';
import { readPathList } from './paths.js';

export interface V1Layout {
  readonly files: FileEntry[];
  readonly length: number;
  readonly isDirectory: boolean;
  readonly pieces: Uint8Array;
  readonly pieceCount: number;
}

/** The BEP 3 description of an info dictionary: `length` or `files`, and `pieces`. */
export function readV1(info: BencodeMap, name: string, pieceLength: number, limits: Limits): V1Layout {
  const hasLength = info.has('length');
  const list = info.get('files');
  if (hasLength && list !== undefined) fail(Code.BAD_FILES, 'info has both length and files', 'info');
  if (!hasLength && list === undefined) fail(Code.BAD_FILES, 'info has neither length nor files', 'info');

  const files: FileEntry[] = [];
  let length = 0;
  if (hasLength) {
    length = readLength(info.get('length'), Code.BAD_LENGTH, 'info.length');
    files.push({ path: [name], length, offset: 0, ...readAttributes(info, limits.maxPathDepth, 'info') });
  } else {
    if (!Array.isArray(list)) fail(Code.BAD_FILES, 'files is not a list', 'info.files');
    if (list.length === 0) fail(Code.BAD_FILES, 'files is empty', 'info.files');
    if (list.length > limits.maxFiles) fail(Code.LIMIT_EXCEEDED, `${list.length} files, over the limit of ${limits.maxFiles}`, 'info.files');
    for (const [i, entry] of list.entries()) {
      const field = `info.files[${i}]`;
      if (!isMap(entry)) fail(Code.BAD_FILES, 'file entry is not a dictionary', field);
      const fileLength = readLength(entry.get('length'), Code.BAD_LENGTH, `${field}.length`);
      const path = readPathList(preferUtf8(entry, 'path'), limits.maxPathDepth, `${field}.path`);
      files.push({ path, length: fileLength, offset: length, ...readAttributes(entry, limits.maxPathDepth, field) });
      length = addLength(length, fileLength, Code.BAD_LENGTH, `${field}.length`);
    }
  }

  const pieces = info.get('pieces');
  if (!(pieces instanceof Uint8Array)) fail(Code.BAD_PIECES, 'pieces is missing or not a byte string', 'info.pieces');
  if (pieces.length % 20 !== 0) fail(Code.BAD_PIECES, `pieces is ${pieces.length} bytes, not a multiple of 20`, 'info.pieces');
  const pieceCount = pieces.length / 20;
  if (pieceCount > limits.maxPieces) fail(Code.LIMIT_EXCEEDED, `${pieceCount} pieces, over the limit of ${limits.maxPieces}`, 'info.pieces');
  const expected = Math.ceil(length / pieceLength);
  if (pieceCount !== expected) fail(Code.BAD_PIECES, `${pieceCount} piece hashes for ${length} bytes in pieces of ${pieceLength} (expected ${expected})`, 'info.pieces');
  return { files, length, isDirectory: !hasLength, pieces, pieceCount };
}
