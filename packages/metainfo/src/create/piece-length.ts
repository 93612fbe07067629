// How a piece length is picked when the caller gives none. The rule: the smallest power of
// two that keeps the torrent at or under 2048 pieces, clamped to 16 KiB .. 16 MiB. It lands
// where libtorrent's size table and transmission's rule land for common sizes (1 GiB ->
// 512 KiB, 8 GiB -> 4 MiB), keeps a .torrent small (2048 SHA-1 hashes are 40 KiB, a v2 piece
// layer 64 KiB), and gives peers enough pieces to trade early. 16 KiB is the v2 block size
// and the least BEP 52 allows; 16 MiB is where clients start to refuse (rtorrent warns
// above 4 MiB, and a bigger piece wastes more on each hash failure).

/** The smallest piece length gtorr picks or accepts: one v2 block (BEP 52). */
export const MIN_PIECE_LENGTH = 16384;
/** The largest piece length gtorr picks by itself. */
export const MAX_AUTO_PIECE_LENGTH = 16 * 1024 * 1024;
/** The largest piece length gtorr accepts when given one (libtorrent reads up to 128 MiB). */
export const MAX_PIECE_LENGTH = 128 * 1024 * 1024;
/** The piece count the automatic rule stays at or under, size permitting. */
export const TARGET_PIECE_COUNT = 2048;

/**
 * The piece length gtorr uses for `totalBytes` of content when none is given: the smallest
 * power of two with at most 2048 pieces, between 16 KiB and 16 MiB.
 *
 * @example
 * choosePieceLength(1024 ** 3); // 524288 (2048 pieces of 512 KiB)
 */
export function choosePieceLength(totalBytes: number): number {
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) throw new RangeError(`totalBytes must be a non-negative integer, got ${totalBytes}`);
  let pieceLength = MIN_PIECE_LENGTH;
  while (pieceLength < MAX_AUTO_PIECE_LENGTH && totalBytes > pieceLength * TARGET_PIECE_COUNT) pieceLength *= 2;
  return pieceLength;
}

/** Whether `pieceLength` is one gtorr writes: a power of two from 16 KiB to 128 MiB. */
export function isValidPieceLength(pieceLength: number): boolean {
  return Number.isSafeInteger(pieceLength) && pieceLength >= MIN_PIECE_LENGTH && pieceLength <= MAX_PIECE_LENGTH && (pieceLength & (pieceLength - 1)) === 0;
}
