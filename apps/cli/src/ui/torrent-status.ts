// What `download`, `seed` and `demo` show of a torrent: the live status line, the
// --json progress fields and the closing summary. Pure: a progress snapshot in, text out.
import type { ProgressSnapshot } from '@gtorr/client';
import { formatBytes, formatDuration, formatPercent, formatRate } from './format.js';
import { bar } from './progress-line.js';

/** A torrent's progress as `Torrent.progress()` gives it: the snapshot, its state and its name. */
export type TorrentStatus = ProgressSnapshot & { readonly state: string; readonly name: string };

function peerText(p: TorrentStatus): string {
  return `peers ${p.peers}${p.seeds > 0 ? ` (${p.seeds} ${p.seeds === 1 ? 'seed' : 'seeds'})` : ''}`;
}

function ratioText(ratio: number | null): string {
  return ratio === null ? '-' : ratio.toFixed(2);
}

/** The percent with one decimal, never 100.0% while a byte is missing (the snapshot already floors it). */
function percentText(p: TorrentStatus): string {
  return p.done ? '100%' : `${p.percent.toFixed(1)}%`;
}

/**
 * The part of a line that says where a download is: percent and bar, rates, ETA, peers,
 * bytes. Most important first: a narrow terminal drops parts from the end.
 */
export function transferText(p: TorrentStatus): string {
  const fraction = p.bytesWanted === 0 ? 1 : p.bytesDone / p.bytesWanted;
  return [
    `${percentText(p).padStart(6)} ${bar(fraction, 20)}`,
    `down ${formatRate(p.downloadRate)}`,
    `up ${formatRate(p.uploadRate)}`,
    `ETA ${formatDuration(p.etaSeconds ?? undefined)}`,
    peerText(p),
    `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesWanted)}`,
  ].join('  ');
}

/** The part of a line that says how seeding goes: peers, upload rate, uploaded, ratio. */
export function seedingText(p: TorrentStatus): string {
  return [peerText(p), `up ${formatRate(p.uploadRate)}`, `uploaded ${formatBytes(p.uploaded)}`, `ratio ${ratioText(p.ratio)}`].join('  ');
}

/** The live line of `gtorr download`. */
export function downloadLine(p: TorrentStatus): string {
  switch (p.state) {
    case 'metadata':
      return `fetching metadata from peers  ${peerText(p)}`;
    case 'checking':
      return 'checking the data already on disk...';
    case 'seeding':
      return `done, seeding  ${seedingText(p)}`;
    case 'stopped':
      return `stopped at ${percentText(p)}`;
    case 'failed':
      return `failed at ${percentText(p)}`;
    default:
      return transferText(p);
  }
}

/** The live line of `gtorr seed`: while data is missing, how much of it there is. */
export function seedLine(p: TorrentStatus): string {
  switch (p.state) {
    case 'checking':
      return 'checking the data on disk...';
    case 'metadata':
      return `fetching metadata from peers  ${peerText(p)}`;
    default:
      return `${p.done ? 'seeding' : `seeding ${percentText(p)} (incomplete)`}  ${seedingText(p)}`;
  }
}

/** The snapshot's fields for a --json "progress" event (rates as whole bytes per second). */
export function progressFields(p: TorrentStatus): Record<string, unknown> {
  return {
    state: p.state,
    percent: p.percent,
    bytesDone: p.bytesDone,
    bytesWanted: p.bytesWanted,
    bytesLeft: p.bytesLeft,
    piecesDone: p.piecesDone,
    piecesWanted: p.piecesWanted,
    downloadRate: Math.round(p.downloadRate),
    uploadRate: Math.round(p.uploadRate),
    downloaded: p.downloaded,
    uploaded: p.uploaded,
    ratio: p.ratio,
    peers: p.peers,
    seeds: p.seeds,
    etaSeconds: p.etaSeconds,
  };
}

/** Milliseconds as "0.8s", "12.3s", then "3m07s", "1h02m". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)}s` : formatDuration(seconds);
}

/** Bytes over milliseconds, as a rate ("0 B/s" for no time at all). */
export function averageRate(bytes: number, ms: number): number {
  return ms > 0 ? (bytes * 1000) / ms : 0;
}

/**
 * The line `gtorr download` ends with on stdout: name, size, time, average rate. `complete`
 * comes from the torrent (a magnet link's snapshot says nothing is left before it knows
 * what there is).
 */
export function downloadSummary(p: TorrentStatus, elapsedMs: number, complete: boolean): string {
  const rate = `${formatRate(averageRate(p.downloaded, elapsedMs))} average`;
  if (complete) return `${p.name}: ${formatBytes(p.bytesWanted)} complete in ${formatElapsed(elapsedMs)} (downloaded ${formatBytes(p.downloaded)}, ${rate})\n`;
  const where = p.bytesWanted === 0 ? 'before the metadata arrived' : `at ${percentText(p)} (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesWanted)})`;
  return `${p.name}: stopped ${where} after ${formatElapsed(elapsedMs)} (downloaded ${formatBytes(p.downloaded)}, ${rate}); run the same command again to resume\n`;
}

/** The line `gtorr seed` ends with on stdout. */
export function seedSummary(p: TorrentStatus, elapsedMs: number): string {
  return `${p.name}: seeded for ${formatElapsed(elapsedMs)}, uploaded ${formatBytes(p.uploaded)} (${formatRate(averageRate(p.uploaded, elapsedMs))} average), ratio ${ratioText(p.ratio)}\n`;
}

/** A percent for text that is not a snapshot (the demo's whole swarm). */
export function fractionText(done: number, total: number): string {
  return formatPercent(total === 0 ? 1 : done / total);
}
