/** Counters a torrent keeps; everything `progressSnapshot` needs. */
export interface ProgressCounters {
  /** Bytes of the wanted pieces (all pieces unless some files are skipped). */
  bytesWanted: number;
  /** Of those, bytes in verified pieces. */
  bytesDone: number;
  /** Bytes per second received (payload), e.g. a `RateMeter`'s rate. */
  downloadRate: number;
  /** Bytes per second sent (payload). */
  uploadRate: number;
  /** Payload bytes received and sent since the torrent started. */
  downloaded?: number;
  uploaded?: number;
  /** Connected peers, and how many of them are seeds. */
  peers: number;
  seeds?: number;
  piecesWanted?: number;
  piecesDone?: number;
}

/** What a progress line shows, computed once (the CLI renders it at most once a second). */
export interface ProgressSnapshot {
  bytesWanted: number;
  bytesDone: number;
  bytesLeft: number;
  /** 0..100, with one decimal; 100 only when every wanted byte is verified. */
  percent: number;
  done: boolean;
  downloadRate: number;
  uploadRate: number;
  downloaded: number;
  uploaded: number;
  /** Uploaded ÷ downloaded, or null before anything was downloaded. */
  ratio: number | null;
  peers: number;
  seeds: number;
  piecesWanted: number | null;
  piecesDone: number | null;
  /** Seconds left at the current download rate (rounded up); 0 when done; null while nothing arrives. */
  etaSeconds: number | null;
}

function nonNegative(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : 0;
}

/** Turns counters into the numbers a progress line shows. Pure: the same counters give the same snapshot. */
export function progressSnapshot(counters: ProgressCounters): ProgressSnapshot {
  const bytesWanted = nonNegative(counters.bytesWanted);
  const bytesDone = Math.min(nonNegative(counters.bytesDone), bytesWanted);
  const bytesLeft = bytesWanted - bytesDone;
  const done = bytesLeft === 0;
  // Floor, so 99.99% never shows as 100% while a byte is missing.
  const percent = done ? 100 : Math.floor((bytesDone / bytesWanted) * 1000) / 10;
  const downloadRate = nonNegative(counters.downloadRate);
  const downloaded = nonNegative(counters.downloaded);
  const uploaded = nonNegative(counters.uploaded);
  return {
    bytesWanted,
    bytesDone,
    bytesLeft,
    percent,
    done,
    downloadRate,
    uploadRate: nonNegative(counters.uploadRate),
    downloaded,
    uploaded,
    ratio: downloaded > 0 ? uploaded / downloaded : null,
    peers: nonNegative(counters.peers),
    seeds: nonNegative(counters.seeds),
    piecesWanted: counters.piecesWanted ?? null,
    piecesDone: counters.piecesDone ?? null,
    etaSeconds: done ? 0 : downloadRate > 0 ? Math.ceil(bytesLeft / downloadRate) : null,
  };
}
