// The shapes every layer above reads a torrent through. Storage, the client and the CLI
// depend on these names; extend them freely, rename nothing without updating them all.

/** v1 (20-byte SHA-1) and/or v2 (32-byte SHA-256) identity of a torrent. */
export interface InfoHashes {
  /** SHA-1 of the info dictionary's original bytes; null for a v2-only torrent. */
  readonly v1: Uint8Array | null;
  /** SHA-256 of the info dictionary's original bytes; null for a v1-only torrent. */
  readonly v2: Uint8Array | null;
}

/** One file of a torrent, in the order of the torrent's byte space. */
export interface FileEntry {
  /**
   * Path components below the torrent's root folder; for a single-file torrent just
   * `[name]`. Every component is safe to join under a download folder: never empty,
   * `.`, `..`, absolute, holding `/`, `\`, a drive letter or a reserved device name.
   */
  readonly path: readonly string[];
  /** Bytes. */
  readonly length: number;
  /**
   * Where the file starts in the torrent's byte space, the concatenation that pieces are
   * cut from. For v2-only torrents each file starts on a piece boundary (BEP 52), as if
   * pad files stood between them.
   */
  readonly offset: number;
  /** A BEP 47 pad file: occupies the byte space, holds zeros, is never written to disk. */
  readonly padding: boolean;
  /** BEP 47 attribute letters (`x` executable, `h` hidden, `l` symlink, `p` padding), '' when none. */
  readonly attributes: string;
  /** BEP 47 symlink target components, for attribute `l`. */
  readonly symlinkPath?: readonly string[];
  /** v2: root of the file's SHA-256 Merkle tree (32 bytes); absent for empty files and v1. */
  readonly piecesRoot?: Uint8Array;
}

/** A parsed .torrent file (or the info dictionary fetched for a magnet link). */
export interface Metainfo {
  readonly infoHash: InfoHashes;
  /** 1, 2, or 'hybrid' (both a v1 and a v2 description of the same files). */
  readonly version: 1 | 2 | 'hybrid';
  /** The torrent's name: the file name of a single-file torrent, else the root folder. Sanitised like path components. */
  readonly name: string;
  /** Whether the files live under a folder called `name` (multi-file and v2 trees) or are one file called `name`. */
  readonly isDirectory: boolean;
  readonly pieceLength: number;
  readonly pieceCount: number;
  /** Total bytes of the torrent's byte space: every file including pad files (v2: to the end of the last file). */
  readonly length: number;
  /** Every file in byte-space order, pad files included (flagged `padding`). */
  readonly files: readonly FileEntry[];
  /** v1: the SHA-1 of each piece, 20 bytes each, concatenated (a view into the file's bytes). Null for v2-only. */
  readonly pieces: Uint8Array | null;
  /**
   * v2 (BEP 52) piece layers: for each file larger than one piece, keyed by the hex of its
   * `piecesRoot`, the SHA-256 hashes of its pieces (32 bytes each, concatenated).
   */
  readonly pieceLayers: ReadonlyMap<string, Uint8Array> | null;
  /** BEP 12 tiers (or `[[announce]]`), URLs as given. */
  readonly announce: readonly (readonly string[])[];
  /** BEP 19 web seeds. */
  readonly urlList: readonly string[];
  /** BEP 27. */
  readonly private: boolean;
  readonly comment?: string;
  readonly createdBy?: string;
  /** Seconds since the Unix epoch. */
  readonly creationDate?: number;
  /** The info dictionary's original bytes (what both info hashes are taken over). */
  readonly infoBytes: Uint8Array;
}
