// Where a piece's bytes live. A torrent's pieces are cut from one byte space: the files
// end to end in torrent order, BEP 47 pad files included, and (BEP 52, v2) gaps that start
// each file on a piece boundary. A span is the part of a request that falls in one real
// file; bytes of a request that no span covers are pad or gap bytes, which are zeros by
// definition and never touch the disk.
import type { Metainfo } from '@gtorr/metainfo';
import { StorageError, StorageErrorCode } from './errors.js';

/** The part of a piece request that lies in one file. */
export interface FileSpan {
  /** Index into `metainfo.files` (never a pad file, never an empty file). */
  readonly fileIndex: number;
  /** Where the span starts in the file. */
  readonly fileOffset: number;
  /** Where the span starts in the piece. */
  readonly pieceOffset: number;
  readonly length: number;
}

/** The length of piece `piece`: `pieceLength`, except the last piece, which ends with the byte space. */
export function pieceSize(metainfo: Metainfo, piece: number): number {
  if (!Number.isSafeInteger(piece) || piece < 0 || piece >= metainfo.pieceCount) {
    throw new StorageError(StorageErrorCode.OUT_OF_RANGE, `piece ${piece} is not one of the torrent's ${metainfo.pieceCount} pieces`, { piece });
  }
  const start = piece * metainfo.pieceLength;
  return Math.min(metainfo.pieceLength, metainfo.length - start);
}

/**
 * The files holding bytes `offset` to `offset + length` of piece `piece`, in order. Pad
 * files and v2 alignment gaps are left out (they read as zeros); so are empty files.
 * Pure: the same answer for the same metainfo, no I/O.
 *
 * @throws StorageError `STORAGE_OUT_OF_RANGE` when the range is not inside the piece.
 */
export function pieceSpans(metainfo: Metainfo, piece: number, offset = 0, length = pieceSize(metainfo, piece) - offset): FileSpan[] {
  const size = pieceSize(metainfo, piece);
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new StorageError(StorageErrorCode.OUT_OF_RANGE, `bytes ${offset} to ${offset + length} are outside piece ${piece} (${size} bytes)`, { piece });
  }
  const pieceStart = piece * metainfo.pieceLength;
  const start = pieceStart + offset;
  const end = start + length;
  const files = metainfo.files;
  const spans: FileSpan[] = [];
  for (let i = firstFileEndingAfter(metainfo, start); i < files.length; i++) {
    const file = files[i]!;
    if (file.offset >= end) break;
    if (file.padding || file.length === 0) continue;
    const from = Math.max(start, file.offset);
    const to = Math.min(end, file.offset + file.length);
    if (to > from) spans.push({ fileIndex: i, fileOffset: from - file.offset, pieceOffset: from - pieceStart, length: to - from });
  }
  return spans;
}

/**
 * The pieces that hold bytes of file `fileIndex`, as `[first, end)`; empty for an empty file.
 */
export function filePieces(metainfo: Metainfo, fileIndex: number): { readonly first: number; readonly end: number } {
  const file = metainfo.files[fileIndex];
  if (file === undefined) throw new StorageError(StorageErrorCode.OUT_OF_RANGE, `file ${fileIndex} is not one of the torrent's ${metainfo.files.length} files`, { fileIndex });
  if (file.length === 0) return { first: 0, end: 0 };
  return { first: Math.floor(file.offset / metainfo.pieceLength), end: Math.floor((file.offset + file.length - 1) / metainfo.pieceLength) + 1 };
}

/** The index of the first file whose end lies after byte `position` (files are in byte-space order, so ends never decrease). */
export function firstFileEndingAfter(metainfo: Metainfo, position: number): number {
  const files = metainfo.files;
  let low = 0;
  let high = files.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const file = files[mid]!;
    if (file.offset + file.length > position) high = mid;
    else low = mid + 1;
  }
  return low;
}
