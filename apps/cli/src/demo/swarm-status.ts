// The demo's live line and progress events: every downloader's progress added up. Pure.
import { formatBytes, formatDuration, formatRate } from '../ui/format.js';
import { bar } from '../ui/progress-line.js';
import { fractionText, type TorrentStatus } from '../ui/torrent-status.js';

export interface SwarmTotals {
  readonly downloaders: number;
  readonly finished: number;
  readonly bytesDone: number;
  readonly bytesWanted: number;
  /** Bytes per second into all downloaders, and out of every member (seed included). */
  readonly downloadRate: number;
  readonly uploadRate: number;
  /** Connections, counted at both ends, halved: each link once. */
  readonly connections: number;
  /** Seconds until the slowest downloader is done, at current rates; null while one gets nothing. */
  readonly etaSeconds: number | null;
}

export function swarmTotals(downloaders: readonly TorrentStatus[], seed: TorrentStatus): SwarmTotals {
  let eta: number | null = 0;
  for (const d of downloaders) eta = eta === null || d.etaSeconds === null ? (d.done ? eta : null) : Math.max(eta, d.etaSeconds);
  return {
    downloaders: downloaders.length,
    finished: downloaders.filter((d) => d.done).length,
    bytesDone: sum(downloaders, (d) => d.bytesDone),
    bytesWanted: sum(downloaders, (d) => d.bytesWanted),
    downloadRate: sum(downloaders, (d) => d.downloadRate),
    uploadRate: sum(downloaders, (d) => d.uploadRate) + seed.uploadRate,
    connections: Math.round((sum(downloaders, (d) => d.peers) + seed.peers) / 2),
    etaSeconds: eta,
  };
}

function sum(items: readonly TorrentStatus[], pick: (s: TorrentStatus) => number): number {
  return items.reduce((total, s) => total + pick(s), 0);
}

/** "demo [####......]  45.2%  down 120 MiB/s  ETA 2s  1 of 2 done  3 links  57.9 MiB of 128 MiB": most important first. */
export function swarmLine(t: SwarmTotals): string {
  const fraction = t.bytesWanted === 0 ? 0 : t.bytesDone / t.bytesWanted;
  return [
    `demo ${bar(fraction, 20)} ${fractionText(t.bytesDone, t.bytesWanted).padStart(6)}`,
    `down ${formatRate(t.downloadRate)}`,
    `ETA ${formatDuration(t.etaSeconds ?? undefined)}`,
    `${t.finished} of ${t.downloaders} done`,
    `${t.connections} ${t.connections === 1 ? 'link' : 'links'}`,
    `${formatBytes(t.bytesDone)} of ${formatBytes(t.bytesWanted)}`,
  ].join('  ');
}
