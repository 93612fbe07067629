// Where each file sits in a torrent's byte space, and how that space is cut into hashing
// jobs. v1 concatenates files. v2 and hybrid start every file on a piece boundary (BEP 52);
// a hybrid torrent spells the gaps out as BEP 47 pad files so that v1 clients cut the same
// pieces. Pad placement follows libtorrent 2.0 and the BEP 52 reference creator, since
// readers rebuild the v1 layout from the file tree and must find pads where they expect:
// after every file whose length is not a multiple of the piece length, the last one too,
// but none in a torrent of a single file.

export type TorrentVersion = 1 | 2 | 'hybrid';

/** One stretch of the byte space: a file (index into the input list) or padding (file -1). */
export interface LayoutEntry {
  readonly file: number;
  readonly offset: number;
  readonly length: number;
}

export interface Layout {
  /** Files and pads in byte-space order; empty files included (they take no bytes). */
  readonly entries: readonly LayoutEntry[];
  readonly totalLength: number;
  readonly pieceCount: number;
}

export function layoutFiles(lengths: readonly number[], pieceLength: number, version: TorrentVersion): Layout {
  const entries: LayoutEntry[] = [];
  let offset = 0;
  const aligned = version !== 1;
  for (let file = 0; file < lengths.length; file++) {
    const length = lengths[file]!;
    entries.push({ file, offset, length });
    offset += length;
    const tail = length % pieceLength;
    if (aligned && tail !== 0 && lengths.length > 1) {
      entries.push({ file: -1, offset, length: pieceLength - tail });
      offset += pieceLength - tail;
    }
  }
  // A v2 torrent lists no pads, and its last piece ends with its last file.
  const last = entries.at(-1);
  const totalLength = version === 2 && last?.file === -1 ? offset - last.length : offset;
  return { entries, totalLength, pieceCount: Math.ceil(totalLength / pieceLength) };
}

/** A part of one hashing job: bytes of a file from `position`, or `length` zero bytes (file -1). */
export interface Segment {
  readonly file: number;
  readonly position: number;
  readonly length: number;
}

/** A run of whole pieces to hash, described as the segments that fill it. */
export interface HashJob {
  readonly firstPiece: number;
  readonly pieceCount: number;
  readonly bytes: number;
  readonly segments: readonly Segment[];
}

/**
 * Cuts the byte space into jobs of about `jobBytes` (whole pieces, at least one each), in
 * order. Jobs are what a hashing thread takes at a time: big enough that messages cost
 * nothing, small enough that two threads finish together and progress moves smoothly.
 */
export function planJobs(layout: Layout, pieceLength: number, jobBytes: number): HashJob[] {
  const piecesPerJob = Math.max(1, Math.floor(jobBytes / pieceLength));
  const jobs: HashJob[] = [];
  let entry = 0;
  for (let first = 0; first < layout.pieceCount; first += piecesPerJob) {
    const pieceCount = Math.min(piecesPerJob, layout.pieceCount - first);
    const start = first * pieceLength;
    const end = Math.min(start + pieceCount * pieceLength, layout.totalLength);
    const segments: Segment[] = [];
    while (entry < layout.entries.length && layout.entries[entry]!.offset + layout.entries[entry]!.length <= start) entry++;
    for (let i = entry; i < layout.entries.length; i++) {
      const e = layout.entries[i]!;
      if (e.offset >= end) break;
      const from = Math.max(start, e.offset);
      const to = Math.min(end, e.offset + e.length);
      if (to > from) segments.push({ file: e.file, position: from - e.offset, length: to - from });
    }
    jobs.push({ firstPiece: first, pieceCount, bytes: end - start, segments });
  }
  return jobs;
}
