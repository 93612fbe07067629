// What a piece is checked against, and the hashing itself. Kept apart from any I/O so that
// the same code runs on the calling thread and in the hash workers.
//  - v1: SHA-1 of the whole piece, pad bytes included (they are zeros).
//  - v2 (BEP 52): every piece lies in one file (files start on piece boundaries). The hash
//    is the root of the SHA-256 tree over the file's 16 KiB blocks in the piece; a file of
//    more than one piece checks it against its layer in `piece layers`, a smaller file
//    against its `pieces root` (its tree is then only as wide as the file).
//  - hybrid: both, over the same bytes (v2 stops where the file does, v1 runs on through
//    the pad file that follows it).
import { hash as oneShotHash, createHash } from 'node:crypto';
import { pieceHashV2, toHex, type Metainfo } from '@gtorr/metainfo';
import { firstFileEndingAfter, pieceSize } from '../piece-spans.js';

/** The v2 part of a piece: its first `length` bytes, in a file of `fileLength` bytes. */
export interface V2Range {
  readonly length: number;
  readonly fileLength: number;
}

/** What to compute over a piece's bytes: sent to a hash worker as it is (plain data). */
export interface HashJob {
  /** Bytes of the piece (the data given may be longer; the rest is ignored). */
  readonly length: number;
  readonly pieceLength: number;
  readonly sha1: boolean;
  readonly v2: V2Range | undefined;
}

export interface PieceHashes {
  readonly sha1: Uint8Array | undefined;
  readonly v2: Uint8Array | undefined;
}

/** The job for a piece, and the hashes it must produce. */
export interface PiecePlan {
  readonly job: HashJob;
  readonly expectedSha1: Uint8Array | undefined;
  /** Undefined for a v1 torrent; a v2 piece with no known hash (never from a valid torrent) can never pass. */
  readonly expectedV2: Uint8Array | undefined;
}

const SHA1_SIZE = 20;
const SHA256_SIZE = 32;

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array;
// crypto.hash (Node >= 20.12) skips creating a Hash object: measurably faster per piece.
const oneShot = typeof oneShotHash === 'function' ? (oneShotHash as unknown as OneShot) : undefined;

export function sha1(data: Uint8Array): Uint8Array {
  return oneShot ? oneShot('sha1', data, 'buffer') : createHash('sha1').update(data).digest();
}

export function piecePlan(metainfo: Metainfo, piece: number): PiecePlan {
  const length = pieceSize(metainfo, piece);
  const expectedSha1 = metainfo.pieces?.subarray(piece * SHA1_SIZE, (piece + 1) * SHA1_SIZE);
  let v2: V2Range | undefined;
  let expectedV2: Uint8Array | undefined;
  if (metainfo.version !== 1) {
    const start = piece * metainfo.pieceLength;
    const file = metainfo.files[firstNonPadFileAt(metainfo, start)];
    if (file !== undefined && file.offset <= start && (start - file.offset) % metainfo.pieceLength === 0) {
      v2 = { length: Math.min(length, file.offset + file.length - start), fileLength: file.length };
      const root = file.piecesRoot;
      if (root !== undefined) {
        if (file.length <= metainfo.pieceLength) expectedV2 = root;
        else {
          const k = (start - file.offset) / metainfo.pieceLength;
          const layer = metainfo.pieceLayers?.get(toHex(root));
          const hash = layer?.subarray(k * SHA256_SIZE, (k + 1) * SHA256_SIZE);
          expectedV2 = hash?.length === SHA256_SIZE ? hash : undefined;
        }
      }
    }
  }
  return { job: { length, pieceLength: metainfo.pieceLength, sha1: expectedSha1 !== undefined, v2 }, expectedSha1, expectedV2 };
}

function firstNonPadFileAt(metainfo: Metainfo, position: number): number {
  const files = metainfo.files;
  let i = firstFileEndingAfter(metainfo, position);
  while (i < files.length && (files[i]!.padding || files[i]!.length === 0)) i++;
  return i;
}

/** Runs a job over `data` (the piece's bytes from its start). */
export function runHashJob(data: Uint8Array, job: HashJob): PieceHashes {
  const piece = data.subarray(0, job.length);
  return {
    sha1: job.sha1 ? sha1(piece) : undefined,
    v2: job.v2 !== undefined ? pieceHashV2(piece.subarray(0, job.v2.length), job.pieceLength, job.v2.fileLength) : undefined,
  };
}

/** Whether computed hashes pass the plan: every hash the torrent has must match, and there must be at least one. */
export function passes(plan: PiecePlan, hashes: PieceHashes): boolean {
  const v1 = plan.job.sha1;
  const v2 = plan.job.v2 !== undefined;
  if (!v1 && !v2) return false;
  if (v1 && !equal(hashes.sha1, plan.expectedSha1)) return false;
  if (v2 && !equal(hashes.v2, plan.expectedV2)) return false;
  return true;
}

function equal(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
