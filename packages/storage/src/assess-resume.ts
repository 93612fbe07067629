// Whether saved resume data can be believed. Only as far as the files are as they were when
// it was saved: a file whose size or mtime differs (or that appeared or vanished since) may
// hold anything, so every piece touching it is checked again; pieces in untouched files
// keep their saved state. Different torrent, different piece count: nothing is trusted.
import { Bitfield } from './bitfield.js';
import { statAll } from './internal/stat-all.js';
import { filePieces } from './piece-spans.js';
import type { ResumeData } from './resume-store.js';
import type { OperationOptions, Storage, StoredFileState } from './storage.js';

/** Why a file's saved state no longer holds. */
export type FileChange = 'missing' | 'appeared' | 'size' | 'mtime';

/** How far resume data was trusted. */
export type ResumeOutcome =
  /** No resume data: everything must be checked. */
  | 'none'
  /** Resume data for another torrent (info hash or piece count differ): ignored, everything checked. */
  | 'rejected'
  /** Every file as saved: the saved pieces are trusted as they are. */
  | 'trusted'
  /** Some files changed: their pieces are checked again, the rest trusted. */
  | 'partial';

export interface ResumeAssessment {
  readonly outcome: ResumeOutcome;
  /** Pieces to take as verified without hashing. */
  readonly verified: Bitfield;
  /** Pieces whose data must be hashed before anything is believed of them. */
  readonly recheck: Bitfield;
  /** The files that changed since the save, and how (empty unless `partial`). */
  readonly changedFiles: readonly { readonly fileIndex: number; readonly change: FileChange }[];
  /** One line for a log or a user: what was trusted and why. */
  readonly reason: string;
}

/**
 * Compares saved resume data with the files `storage` holds now, and says which pieces may
 * be trusted and which must be checked again (pass them to `checkTorrent` as `known` and
 * `only`).
 */
export async function assessResume(storage: Storage, data: ResumeData | undefined, options: OperationOptions = {}): Promise<ResumeAssessment> {
  const { metainfo } = storage;
  const count = metainfo.pieceCount;
  const everything = (outcome: ResumeOutcome, reason: string): ResumeAssessment => ({
    outcome,
    verified: new Bitfield(count),
    recheck: new Bitfield(count, new Uint8Array(Math.ceil(count / 8)).fill(0xff)),
    changedFiles: [],
    reason,
  });
  if (data === undefined) return everything('none', 'no resume data: checking everything');
  if (!sameBytes(data.infoHash.v1, metainfo.infoHash.v1) || !sameBytes(data.infoHash.v2, metainfo.infoHash.v2)) {
    return everything('rejected', 'resume data is for another torrent: checking everything');
  }
  if (data.pieceCount !== count || data.files.length !== metainfo.files.length) {
    return everything('rejected', 'resume data does not match the torrent\'s pieces or files: checking everything');
  }
  const now = await statAll(storage, options);
  const verified = data.verified.clone();
  const recheck = new Bitfield(count);
  const changedFiles: { fileIndex: number; change: FileChange }[] = [];
  metainfo.files.forEach((file, fileIndex) => {
    if (file.padding) return;
    const change = compare(data.files[fileIndex] ?? null, now[fileIndex]);
    if (change === undefined) return;
    changedFiles.push({ fileIndex, change });
    const { first, end } = filePieces(metainfo, fileIndex);
    for (let piece = first; piece < end; piece++) {
      verified.clear(piece);
      recheck.set(piece);
    }
  });
  if (changedFiles.length === 0) return { outcome: 'trusted', verified, recheck, changedFiles, reason: `resume data trusted: ${verified.count()} of ${count} pieces verified` };
  return {
    outcome: 'partial',
    verified,
    recheck,
    changedFiles,
    reason: `${changedFiles.length} file(s) changed since the resume data was saved: checking their ${recheck.count()} piece(s) again, trusting ${verified.count()}`,
  };
}

function compare(saved: StoredFileState | null, now: StoredFileState | undefined): FileChange | undefined {
  if (saved === null) return now === undefined ? undefined : 'appeared';
  if (now === undefined) return 'missing';
  if (now.size !== saved.size) return 'size';
  if (now.mtimeNs !== saved.mtimeNs) return 'mtime';
  return undefined;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
