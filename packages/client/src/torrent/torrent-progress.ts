import { progressSnapshot, type ProgressSnapshot } from '../progress/progress.js';
import type { Torrent } from './torrent.js';
import type { TorrentState } from './torrent-options.js';

/** What a progress line shows: the snapshot, the torrent's state and name. */
export interface TorrentProgress extends ProgressSnapshot {
  readonly state: TorrentState;
  readonly name: string;
}

/** `torrent`'s progress now: pieces, bytes, rates, counters and peers. */
export function torrentProgress(torrent: Torrent): TorrentProgress {
  const t = torrent;
  const now = t.context.now();
  const p = t.picker?.progress();
  let seeds = 0;
  for (const peer of t.peerMap.values()) if (peer.isSeed) seeds++;
  const { uploaded, downloaded } = t.transferred;
  const snapshot = progressSnapshot({
    bytesWanted: p?.bytesWanted ?? t.metainfo?.length ?? 1,
    bytesDone: p?.bytesDone ?? 0,
    downloadRate: t.downloadMeter.rate(now),
    uploadRate: t.uploadMeter.rate(now),
    downloaded,
    uploaded,
    peers: t.peerMap.size,
    seeds,
    ...(p === undefined ? {} : { piecesWanted: p.piecesWanted, piecesDone: p.piecesDone }),
  });
  return { ...snapshot, done: t.isComplete, state: t.state, name: t.name };
}
