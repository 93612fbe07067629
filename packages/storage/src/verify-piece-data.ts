import type { Metainfo } from '@gtorr/metainfo';
import { passes, piecePlan, runHashJob } from './internal/piece-hash.js';

/**
 * Whether `data` is piece `piece` of the torrent: hashed on this thread against every hash
 * the torrent has for it (v1 SHA-1, v2 SHA-256 Merkle, both for hybrid). `data` must be the
 * whole piece, no more, no less. For many pieces, {@link HashPool.verify} hashes off-thread.
 */
export function verifyPieceData(metainfo: Metainfo, piece: number, data: Uint8Array): boolean {
  const plan = piecePlan(metainfo, piece);
  if (data.length !== plan.job.length) return false;
  return passes(plan, runHashJob(data, plan.job));
}
