// What a torrent finds on disk when it starts: resume data trusted as far as the files are
// unchanged, the rest hashed; and where that resume data lives.
import { join } from 'node:path';
import { toHex } from '@gtorr/metainfo';
import { assessResume, checkTorrent, ResumeStore, Bitfield as StorageBitfield, type HashPool, type Storage } from '@gtorr/storage';
import type { Bitfield } from '../bitfield/bitfield.js';
import type { TorrentOptions } from './torrent-options.js';

export interface StoredData {
  readonly verified: { get(piece: number): boolean };
  /** What was trusted and what was checked, for a log line. */
  readonly reason: string;
}

/** The verified pieces of `storage`: from resume data where the files are unchanged, else hashed (unless `check` is false). */
export async function checkStoredData(storage: Storage, options: { resumePath: string | undefined; pool: HashPool | undefined; check: boolean }): Promise<StoredData> {
  const { resumePath, pool } = options;
  const withPool = pool === undefined ? {} : { pool };
  if (resumePath !== undefined) {
    const data = await new ResumeStore(resumePath).load().catch(() => undefined);
    const assessment = await assessResume(storage, data);
    if (assessment.outcome === 'trusted') return { verified: assessment.verified, reason: assessment.reason };
    if (assessment.outcome === 'partial') {
      const result = await checkTorrent(storage, { known: assessment.verified, only: assessment.recheck, ...withPool });
      return { verified: result.verified, reason: assessment.reason };
    }
  }
  if (!options.check) return { verified: { get: () => false }, reason: 'not checked' };
  const result = await checkTorrent(storage, withPool);
  return { verified: result.verified, reason: `checked: ${result.counts.verified} of ${storage.metainfo.pieceCount} pieces verified` };
}

/** `resume` as given, or `directory/.gtorr/<info hash>.resume`, or undefined for none. */
export function resumePathOf(options: TorrentOptions, infoHash: Uint8Array): string | undefined {
  if (options.resume === false) return undefined;
  if (typeof options.resume === 'string') return options.resume;
  if (options.directory === undefined) return undefined;
  return join(options.directory, '.gtorr', `${toHex(infoHash)}.resume`);
}

/** The client's bitfield as the storage package's (what resume data holds). */
export function toStorageBitfield(bitfield: Bitfield): StorageBitfield {
  const out = new StorageBitfield(bitfield.length);
  for (let i = bitfield.nextSet(0); i !== -1; i = bitfield.nextSet(i + 1)) out.set(i);
  return out;
}
