// The hashing itself, the same on a worker thread and on the calling thread: reads the
// segments of one job through a small reusable buffer and returns the v1 hash (SHA-1 over
// the byte space, pads as zeros) and the v2 hash (the root of the piece's 16 KiB block
// subtree, BEP 52) of each piece of the job.
import { createHash, type Hash } from 'node:crypto';
import { BLOCK_SIZE_V2, HASH_SIZE_V2, merkleRoot } from '../../v2/merkle.js';
import { sha256 } from '../../internal/hash.js';
import type { HashJob } from './layout.js';

export interface HashSettings {
  readonly pieceLength: number;
  /** Compute SHA-1 piece hashes (v1 and hybrid). */
  readonly v1: boolean;
  /** Compute BEP 52 piece hashes (v2 and hybrid; needs a layout with files on piece boundaries). */
  readonly v2: boolean;
  /** Length of each input file, by index: a v2 piece's subtree is sized by its file's length. */
  readonly fileLengths: readonly number[];
}

/**
 * Reads up to `into.length` bytes of file `file` from `position` into `into`; returns the
 * count read, less only at the end of the file.
 */
export type ReadFile = (file: number, position: number, into: Uint8Array) => number;

export interface JobHashes {
  /** 20 bytes a piece, or null. */
  readonly v1: Uint8Array | null;
  /** 32 bytes a piece, or null. */
  readonly v2: Uint8Array | null;
}

/** Thrown when a file holds fewer bytes than it did when it was listed. */
export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
  constructor(
    readonly file: number,
    readonly expected: number,
  ) {
    super(`file ${file} is shorter than the ${expected} bytes it had when listed: it changed while it was hashed`);
  }
}

/**
 * Hashes one job. `buffer` is the read buffer (a multiple of 16 KiB, so that v2 blocks never
 * straddle two reads); `zeros` a zero-filled buffer for padding. `onBytes` is told after
 * each read how many bytes of the byte space were covered.
 */
export function hashJob(job: HashJob, settings: HashSettings, read: ReadFile, buffer: Uint8Array, zeros: Uint8Array, onBytes?: (bytes: number) => void): JobHashes {
  const { pieceLength } = settings;
  const v1 = settings.v1 ? new Uint8Array(job.pieceCount * 20) : null;
  const v2 = settings.v2 ? new Uint8Array(job.pieceCount * HASH_SIZE_V2) : null;
  const blocksPerPiece = pieceLength / BLOCK_SIZE_V2;
  const leaves = v2 ? new Uint8Array(blocksPerPiece * HASH_SIZE_V2) : null;
  let leafCount = 0;
  let leafFileLength = 0;
  let piece = 0;
  let inPiece = 0;
  let sha1: Hash | null = v1 ? createHash('sha1') : null;

  const finishPiece = () => {
    if (v1 && sha1) v1.set(sha1.digest(), piece * 20);
    if (v2 && leaves && leafCount > 0) {
      // A file of one piece gets a tree only as wide as its blocks; others a whole piece wide.
      const width = leafFileLength > pieceLength ? blocksPerPiece : undefined;
      v2.set(merkleRoot(leaves.subarray(0, leafCount * HASH_SIZE_V2), width), piece * HASH_SIZE_V2);
      leafCount = 0;
    }
    piece++;
    inPiece = 0;
    sha1 = v1 && piece < job.pieceCount ? createHash('sha1') : null;
  };

  // `fileLength` null marks padding: hashed by v1 as zeros, never a v2 leaf (BEP 52 pads
  // the tree with zero hashes, not with hashes of zero bytes).
  const feed = (data: Uint8Array, fileLength: number | null) => {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(data.length - offset, pieceLength - inPiece);
      const part = data.subarray(offset, offset + take);
      sha1?.update(part);
      if (leaves && fileLength !== null) {
        for (let b = 0; b < take; b += BLOCK_SIZE_V2) {
          leaves.set(sha256(part.subarray(b, b + BLOCK_SIZE_V2)), leafCount * HASH_SIZE_V2);
          leafCount++;
        }
        leafFileLength = fileLength;
      }
      offset += take;
      inPiece += take;
      if (inPiece === pieceLength) finishPiece();
    }
  };

  for (const segment of job.segments) {
    let done = 0;
    while (done < segment.length) {
      const want = Math.min(segment.length - done, segment.file < 0 ? zeros.length : buffer.length);
      if (segment.file < 0) {
        feed(zeros.subarray(0, want), null);
      } else {
        const got = read(segment.file, segment.position + done, buffer.subarray(0, want));
        if (got < want) throw new FileChangedError(segment.file, segment.position + segment.length);
        feed(buffer.subarray(0, want), settings.fileLengths[segment.file]!);
      }
      done += want;
      onBytes?.(want);
    }
  }
  if (inPiece > 0) finishPiece();
  return { v1, v2 };
}
