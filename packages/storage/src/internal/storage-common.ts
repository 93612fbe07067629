// Behaviour every Storage shares, written once over the interface's own methods.
import type { Metainfo } from '@gtorr/metainfo';
import { StorageError, StorageErrorCode } from '../errors.js';
import type { HashPool } from '../hash-pool.js';
import { pieceSize, pieceSpans, type FileSpan } from '../piece-spans.js';
import type { OperationOptions, Storage } from '../storage.js';
import { verifyPieceData } from '../verify-piece-data.js';

/** Storage.verify: read the whole piece, hash it (on the pool when given); missing bytes are a plain false. */
export async function verifyStored(storage: Storage, piece: number, options: OperationOptions | undefined, pool: HashPool | undefined): Promise<boolean> {
  let data: Uint8Array;
  try {
    data = await storage.read(piece, 0, pieceSize(storage.metainfo, piece), options);
  } catch (error) {
    if (error instanceof StorageError && error.code === StorageErrorCode.MISSING_DATA) return false;
    throw error;
  }
  if (pool === undefined) return verifyPieceData(storage.metainfo, piece, data);
  return (await pool.verify(storage.metainfo, piece, data, { signal: options?.signal, transfer: true })).ok;
}

/** Storage.has: every span's file exists and reaches the span's end. */
export async function hasStored(storage: Storage, piece: number, options: OperationOptions | undefined): Promise<boolean> {
  for (const span of pieceSpans(storage.metainfo, piece)) {
    const state = await storage.stat(span.fileIndex, options);
    if (state === undefined || state.size < span.fileOffset + span.length) return false;
  }
  return true;
}

/** The buffer a read fills: the caller's (checked) or a fresh one, not zeroed. */
export function readTarget(length: number, into: Uint8Array | undefined): Uint8Array {
  // Not zero-filled: a read fills every byte or fails (gaps are zeroed by `zeroGaps`), and a
  // zeroed large buffer costs a page fault per 4 KiB before the read even starts.
  if (into === undefined) return new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  if (!(into instanceof Uint8Array) || into.length < length) throw new TypeError(`read needs an 'into' buffer of at least ${length} bytes`);
  const target = into.subarray(0, length);
  return target;
}

export function checkData(data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('write takes a Uint8Array');
}

/** Zeroes the bytes of `target` (piece bytes from `offset`) that no span covers: pad files and v2 gaps. */
export function zeroGaps(target: Uint8Array, spans: readonly FileSpan[], offset: number): void {
  let at = 0;
  for (const span of spans) {
    const start = span.pieceOffset - offset;
    if (start > at) target.fill(0, at, start);
    at = start + span.length;
  }
  if (at < target.length) target.fill(0, at);
}

/** Checks what the span arithmetic relies on: files in byte-space order, not overlapping, pieces covering the byte space. */
export function checkLayout(metainfo: Metainfo): void {
  let end = 0;
  metainfo.files.forEach((file, i) => {
    if (!Number.isSafeInteger(file.offset) || !Number.isSafeInteger(file.length) || file.length < 0 || file.offset < end) {
      throw new RangeError(`metainfo file ${i} is out of byte-space order (offset ${file.offset}, previous end ${end})`);
    }
    end = file.offset + file.length;
  });
  if (end > metainfo.length || metainfo.pieceLength <= 0 || metainfo.pieceCount !== Math.ceil(metainfo.length / metainfo.pieceLength)) {
    throw new RangeError(`metainfo of ${metainfo.length} bytes does not make ${metainfo.pieceCount} pieces of ${metainfo.pieceLength}`);
  }
}
