/** The limits on untrusted input that `ParseOptions` sets, with their defaults filled in. */
export interface Limits {
  readonly maxFiles: number;
  readonly maxPieces: number;
  readonly maxPieceLength: number;
  readonly maxPathDepth: number;
}

// libtorrent's load_torrent_limits hold a torrent to 2^21 pieces and a decode depth of 100;
// we take the same piece count and path depth, so whatever libtorrent loads, we load.
export const DEFAULT_LIMITS: Limits = {
  maxFiles: 1_000_000,
  maxPieces: 0x200000,
  // Clients hold a whole piece in memory to hash it; the largest in real use are 64 MiB.
  maxPieceLength: 512 * 1024 * 1024,
  maxPathDepth: 100,
};
