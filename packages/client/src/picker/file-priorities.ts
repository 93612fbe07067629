import { MAX_PRIORITY } from './piece-order.js';

/** Where a file lies in the torrent's byte stream (as metainfo gives it; pad files included). */
export interface FileSpan {
  readonly offset: number;
  readonly length: number;
}

export function checkPriority(priority: number): void {
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new RangeError(`priority must be an integer 0..${MAX_PRIORITY}, got ${priority}`);
  }
}

/**
 * Piece priorities from file priorities: each piece takes the highest priority of the files
 * it overlaps, so a piece shared by a skipped file (priority 0) and a wanted one is wanted;
 * a piece only skipped files touch is 0 (never picked). Empty files touch no piece. Give pad
 * files priority 0 so they never pull a piece in on their own.
 */
export function piecePrioritiesFromFiles(
  files: readonly FileSpan[],
  priorities: readonly number[],
  pieceLength: number,
  totalLength: number,
): Uint8Array {
  if (files.length !== priorities.length) throw new RangeError(`${files.length} files but ${priorities.length} priorities`);
  if (!Number.isSafeInteger(pieceLength) || pieceLength <= 0) throw new RangeError(`piece length must be a positive integer, got ${pieceLength}`);
  const pieceCount = Math.ceil(totalLength / pieceLength);
  const out = new Uint8Array(pieceCount);
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    const priority = priorities[f]!;
    checkPriority(priority);
    if (!Number.isSafeInteger(file.offset) || !Number.isSafeInteger(file.length) || file.offset < 0 || file.length < 0 || file.offset + file.length > totalLength) {
      throw new RangeError(`file ${f} (offset ${file.offset}, length ${file.length}) lies outside the torrent's ${totalLength} bytes`);
    }
    if (file.length === 0 || priority === 0) continue;
    const first = Math.floor(file.offset / pieceLength);
    const last = Math.floor((file.offset + file.length - 1) / pieceLength);
    for (let piece = first; piece <= last; piece++) if (out[piece]! < priority) out[piece] = priority;
  }
  return out;
}
