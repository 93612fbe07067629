// BEP 52 Merkle trees: each file is hashed on its own, in 16 KiB blocks whose SHA-256
// hashes are the leaves of a binary tree. Leaves past the end of the file, up to the next
// power of two, are 32 zero bytes. A torrent stores the tree's root per file ("pieces
// root") and, for files longer than one piece, the tree's layer at piece size ("piece
// layers"). Everything here is pure: hashes in, hashes out.
import { sha256 } from '../internal/hash.js';

/** The v2 leaf size (BEP 52): every file is hashed in blocks of this many bytes. */
export const BLOCK_SIZE_V2 = 16384;

/** Bytes of one SHA-256 hash, the size of every leaf and node. */
export const HASH_SIZE_V2 = 32;

/** What a leaf past the end of a file hashes to (BEP 52: "set to zero"). */
const ZERO_HASH = new Uint8Array(HASH_SIZE_V2);

/** The smallest power of two >= `n` (1 for n <= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && nextPowerOfTwo(n) === n;
}

/** Joins hashes into one buffer of 32-byte hashes, validating sizes; a fresh copy. */
function concatenated(hashes: readonly Uint8Array[] | Uint8Array): Uint8Array {
  if (hashes instanceof Uint8Array) {
    if (hashes.length % HASH_SIZE_V2 !== 0) throw new RangeError(`hashes must be a multiple of ${HASH_SIZE_V2} bytes, got ${hashes.length}`);
    return hashes;
  }
  const out = new Uint8Array(hashes.length * HASH_SIZE_V2);
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE_V2) throw new RangeError(`hash ${i} is ${h.length} bytes, expected ${HASH_SIZE_V2}`);
    out.set(h, i * HASH_SIZE_V2);
  });
  return out;
}

/**
 * The root of a binary SHA-256 Merkle tree.
 *
 * @param leafHashes The leaves, as an array of 32-byte hashes or one buffer of them end to end.
 * @param leafCount The tree's width, a power of two >= the number of leaves given; default
 *   the next power of two. Leaves past the ones given are `padHash`.
 * @param padHash The hash standing for each missing leaf: 32 zero bytes (BEP 52 block level)
 *   by default; {@link padHashForPiece} when the leaves are the hashes of a piece layer.
 * @returns A fresh 32-byte root. The input is never modified.
 */
export function merkleRoot(leafHashes: readonly Uint8Array[] | Uint8Array, leafCount?: number, padHash: Uint8Array = ZERO_HASH): Uint8Array {
  const leaves = concatenated(leafHashes);
  const count = leaves.length / HASH_SIZE_V2;
  if (padHash.length !== HASH_SIZE_V2) throw new RangeError(`padHash must be ${HASH_SIZE_V2} bytes`);
  const width = leafCount ?? nextPowerOfTwo(count);
  if (!isPowerOfTwo(width)) throw new RangeError(`leafCount must be a power of two, got ${String(leafCount)}`);
  if (width < count) throw new RangeError(`leafCount ${width} is smaller than the ${count} leaves given`);
  if (count === 0 && leafCount === undefined) throw new RangeError('merkleRoot needs at least one leaf or a leafCount');
  return reduce(leaves, count, width, padHash);
}

/**
 * Folds a layer of `count` real nodes (the rest up to `width` being `pad`) up to the root.
 * Pairs are hashed straight from views of the layer buffer (left and right sit side by
 * side), so the only copy is for an odd node out, which is paired with the pad hash.
 */
function reduce(layer: Uint8Array, count: number, width: number, pad: Uint8Array): Uint8Array {
  let nodes = layer;
  let have = count;
  let padNode = pad;
  let span = width;
  if (span === 1) return have === 1 ? nodes.slice(0, HASH_SIZE_V2) : padNode.slice();
  while (span > 1) {
    const next = Math.ceil(have / 2);
    const out = new Uint8Array(Math.max(next, 1) * HASH_SIZE_V2);
    const pairs = Math.floor(have / 2);
    for (let i = 0; i < pairs; i++) {
      out.set(sha256(nodes.subarray(i * 64, i * 64 + 64)), i * HASH_SIZE_V2);
    }
    if (have % 2 === 1) {
      const odd = new Uint8Array(64);
      odd.set(nodes.subarray((have - 1) * HASH_SIZE_V2, have * HASH_SIZE_V2));
      odd.set(padNode, HASH_SIZE_V2);
      out.set(sha256(odd), pairs * HASH_SIZE_V2);
    }
    const padPair = new Uint8Array(64);
    padPair.set(padNode);
    padPair.set(padNode, HASH_SIZE_V2);
    padNode = sha256(padPair);
    nodes = out;
    have = next;
    span /= 2;
  }
  return have === 1 ? nodes.slice(0, HASH_SIZE_V2) : padNode;
}

function checkPieceLength(pieceLength: number): void {
  if (!Number.isSafeInteger(pieceLength) || pieceLength < BLOCK_SIZE_V2 || !isPowerOfTwo(pieceLength)) {
    throw new RangeError(`a v2 piece length is a power of two >= ${BLOCK_SIZE_V2}, got ${pieceLength}`);
  }
}

/**
 * The root of a piece-sized subtree whose leaves are all zero hashes. BEP 52: in a piece
 * layer padded up to a power of two, each missing piece hashes to this.
 * @returns A fresh 32-byte hash.
 */
export function padHashForPiece(pieceLength: number): Uint8Array {
  checkPieceLength(pieceLength);
  let node: Uint8Array = ZERO_HASH.slice();
  const pair = new Uint8Array(64);
  for (let size = BLOCK_SIZE_V2; size < pieceLength; size *= 2) {
    pair.set(node);
    pair.set(node, HASH_SIZE_V2);
    node = sha256(pair);
  }
  return node;
}

/**
 * SHA-256 of each 16 KiB block of `data` (the last block may be shorter), end to end:
 * the leaf layer of a file's tree, or of the part of it `data` covers when `data` starts
 * on a block boundary. A fresh buffer of `ceil(length / 16384) * 32` bytes.
 */
export function hashBlocksV2(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / BLOCK_SIZE_V2);
  const out = new Uint8Array(blocks * HASH_SIZE_V2);
  for (let i = 0; i < blocks; i++) {
    out.set(sha256(data.subarray(i * BLOCK_SIZE_V2, (i + 1) * BLOCK_SIZE_V2)), i * HASH_SIZE_V2);
  }
  return out;
}

/** A file's v2 hashes, from {@link fileTreeHashes}. */
export interface FileTreeHashes {
  /** The root of the file's tree: its `pieces root` in the torrent's file tree (32 bytes). */
  readonly piecesRoot: Uint8Array;
  /**
   * The hash of each piece of the file, 32 bytes each end to end: what a downloaded piece is
   * checked against. For a file longer than one piece these are its entry in `piece layers`;
   * for a file of one piece (or less) the one hash is `piecesRoot`, and BEP 52 stores no
   * layer for it (see {@link hasPieceLayer}).
   */
  readonly pieceLayer: Uint8Array;
}

/** Whether BEP 52 gives a file of `fileLength` bytes an entry in `piece layers`: only when it spans more than one piece. */
export function hasPieceLayer(fileLength: number, pieceLength: number): boolean {
  return fileLength > pieceLength;
}

/**
 * A file's pieces root and piece layer from the hashes of all its 16 KiB blocks (as from
 * {@link hashBlocksV2} over the whole file, or the same computed piece by piece).
 * An empty file has no tree (BEP 52 gives it no pieces root): passing no blocks is a RangeError.
 */
export function fileTreeHashes(blockHashes: readonly Uint8Array[] | Uint8Array, pieceLength: number): FileTreeHashes {
  checkPieceLength(pieceLength);
  const leaves = concatenated(blockHashes);
  const blocks = leaves.length / HASH_SIZE_V2;
  if (blocks === 0) throw new RangeError('an empty file has no Merkle tree');
  const blocksPerPiece = pieceLength / BLOCK_SIZE_V2;
  if (blocks <= blocksPerPiece) {
    // One piece: the tree is only as wide as the file needs, not a whole piece wide.
    const root = reduce(leaves, blocks, nextPowerOfTwo(blocks), ZERO_HASH);
    return { piecesRoot: root, pieceLayer: root.slice() };
  }
  const pieces = Math.ceil(blocks / blocksPerPiece);
  const layer = new Uint8Array(pieces * HASH_SIZE_V2);
  for (let p = 0; p < pieces; p++) {
    const from = p * blocksPerPiece;
    const have = Math.min(blocksPerPiece, blocks - from);
    const part = leaves.subarray(from * HASH_SIZE_V2, (from + have) * HASH_SIZE_V2);
    layer.set(reduce(part, have, blocksPerPiece, ZERO_HASH), p * HASH_SIZE_V2);
  }
  const root = reduce(layer, pieces, nextPowerOfTwo(pieces), padHashForPiece(pieceLength));
  return { piecesRoot: root, pieceLayer: layer };
}

/**
 * A file's pieces root computed from its piece layer (the hashes of its pieces, 32 bytes
 * each end to end), as a reader checks a torrent's `piece layers` against its file tree.
 * For a file of at most one piece the one piece hash is the root itself.
 * @throws RangeError when the layer does not hold exactly one hash per piece of the file.
 */
export function pieceLayerRoot(pieceHashes: readonly Uint8Array[] | Uint8Array, pieceLength: number, fileLength: number): Uint8Array {
  checkPieceLength(pieceLength);
  if (!Number.isSafeInteger(fileLength) || fileLength <= 0) throw new RangeError(`fileLength must be a positive integer, got ${fileLength}`);
  const layer = concatenated(pieceHashes);
  const pieces = Math.ceil(fileLength / pieceLength);
  if (layer.length !== pieces * HASH_SIZE_V2) {
    throw new RangeError(`a file of ${fileLength} bytes has ${pieces} pieces of ${pieceLength}, got ${layer.length / HASH_SIZE_V2} hashes`);
  }
  if (pieces === 1) return layer.slice(0, HASH_SIZE_V2);
  return reduce(layer, pieces, nextPowerOfTwo(pieces), padHashForPiece(pieceLength));
}

/**
 * The hash a piece of a v2 file is checked against, from the piece's bytes: the root of its
 * blocks' subtree. `data` is the whole piece (shorter only for the file's last piece);
 * `fileLength` says whether the file spans several pieces (subtree padded to a whole piece)
 * or one (the tree is only as wide as the file, and the result is its pieces root).
 * @returns A fresh 32-byte hash.
 */
export function pieceHashV2(data: Uint8Array, pieceLength: number, fileLength: number): Uint8Array {
  checkPieceLength(pieceLength);
  if (data.length === 0 || data.length > pieceLength) throw new RangeError(`a piece holds 1 to ${pieceLength} bytes, got ${data.length}`);
  const leaves = hashBlocksV2(data);
  const blocks = leaves.length / HASH_SIZE_V2;
  const width = fileLength > pieceLength ? pieceLength / BLOCK_SIZE_V2 : nextPowerOfTwo(blocks);
  return reduce(leaves, blocks, width, ZERO_HASH);
}
