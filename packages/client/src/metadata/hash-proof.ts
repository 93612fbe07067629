// BEP 52 hash requests, as pure functions over a file's Merkle tree: which requests fetch a
// file's piece layer, what a peer answers to one, and whether an answer proves itself
// against the file's pieces root. Layers are counted as BEP 52 counts them: 0 is the 16 KiB
// block layer, the piece layer is log2(pieceLength / 16 KiB), the root is on top.
//
// "proof layers" is read as libtorrent reads it (the reference implementation): the answer
// carries the uncle hashes of layers base + log2(length) ... base + proofLayers, bottom up,
// that is max(0, proofLayers - log2(length) + 1) of them, and never the root itself.
import { BLOCK_SIZE_V2, HASH_SIZE_V2, merkleRoot, padHashForPiece } from '@gtorr/metainfo';
import type { HashRange } from '@gtorr/wire';
import { sameBytes, sha256 } from '../internal/hash.js';

/** BEP 52: "Length SHOULD NOT be greater than 512"; what we ask for and what we answer, at most. */
export const MAX_HASH_REQUEST_LENGTH = 512;

/** The layer of a file's tree that holds one hash per piece. */
export function pieceLayerOf(pieceLength: number): number {
  return Math.log2(pieceLength / BLOCK_SIZE_V2);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Uncle hashes an answer to `range` carries. */
export function uncleCount(range: Pick<HashRange, 'length' | 'proofLayers'>): number {
  return Math.max(0, range.proofLayers - Math.log2(range.length) + 1);
}

/**
 * The requests that fetch the piece layer of a file of `pieceCount` pieces (more than one),
 * each proved up to the root: ranges of 512 hashes, the last one shorter (a power of two,
 * at least 2, padded past the file's end), each index a multiple of its length.
 */
export function pieceLayerRequests(piecesRoot: Uint8Array, pieceCount: number, pieceLength: number): HashRange[] {
  if (!Number.isSafeInteger(pieceCount) || pieceCount < 2) throw new RangeError(`a file with a piece layer has 2 pieces or more, got ${pieceCount}`);
  const baseLayer = pieceLayerOf(pieceLength);
  const treeLayers = Math.log2(nextPowerOfTwo(pieceCount));
  const requests: HashRange[] = [];
  for (let index = 0; index < pieceCount; index += MAX_HASH_REQUEST_LENGTH) {
    const length = Math.max(2, Math.min(MAX_HASH_REQUEST_LENGTH, nextPowerOfTwo(pieceCount - index)));
    const subtreeLayers = Math.log2(length);
    const uncles = treeLayers - subtreeLayers;
    // Zero uncles: any proofLayers below log2(length) asks for none; log2(length) - 1 is what libtorrent sends.
    requests.push({ piecesRoot, baseLayer, index, length, proofLayers: subtreeLayers + uncles - 1 });
  }
  return requests;
}

/**
 * Whether `hashes` (the payload of a HASHES message answering `range`) proves itself: the
 * requested hashes fold into their subtree's root, the uncles carry it up `treeLayers`
 * layers above the base layer, and the result is `piecesRoot`.
 */
export function verifyHashes(range: HashRange, hashes: Uint8Array, piecesRoot: Uint8Array, treeLayers: number): boolean {
  const { length, index } = range;
  if (!isPowerOfTwo(length) || length < 2 || index % length !== 0) return false;
  const uncles = uncleCount(range);
  if (hashes.length !== (length + uncles) * HASH_SIZE_V2 || Math.log2(length) + uncles !== treeLayers) return false;
  let node = merkleRoot(hashes.subarray(0, length * HASH_SIZE_V2));
  let position = index / length;
  const pair = new Uint8Array(2 * HASH_SIZE_V2);
  for (let i = 0; i < uncles; i++) {
    const uncle = hashes.subarray((length + i) * HASH_SIZE_V2, (length + i + 1) * HASH_SIZE_V2);
    pair.set(position % 2 === 0 ? node : uncle, 0);
    pair.set(position % 2 === 0 ? uncle : node, HASH_SIZE_V2);
    node = sha256(pair);
    position = Math.floor(position / 2);
  }
  return sameBytes(node, piecesRoot);
}

function parentLayer(nodes: Uint8Array): Uint8Array {
  const count = nodes.length / HASH_SIZE_V2 / 2;
  const out = new Uint8Array(count * HASH_SIZE_V2);
  for (let i = 0; i < count; i++) out.set(sha256(nodes.subarray(i * 2 * HASH_SIZE_V2, (i + 1) * 2 * HASH_SIZE_V2)), i * HASH_SIZE_V2);
  return out;
}

/**
 * A file's tree from its piece layer up: `layers[0]` is the piece layer padded to a power of
 * two with the hashes of empty pieces, the last layer is the root. What a peer's hash
 * requests are answered from; about twice the piece layer's size.
 */
export interface PieceTree {
  readonly baseLayer: number;
  readonly layers: readonly Uint8Array[];
}

export function pieceTree(pieceLayer: Uint8Array, pieceLength: number): PieceTree {
  const pieces = pieceLayer.length / HASH_SIZE_V2;
  const width = nextPowerOfTwo(pieces);
  const padded = new Uint8Array(width * HASH_SIZE_V2);
  padded.set(pieceLayer);
  const pad = padHashForPiece(pieceLength);
  for (let i = pieces; i < width; i++) padded.set(pad, i * HASH_SIZE_V2);
  const layers: Uint8Array[] = [padded];
  while (layers.at(-1)!.length > HASH_SIZE_V2) layers.push(parentLayer(layers.at(-1)!));
  return { baseLayer: pieceLayerOf(pieceLength), layers };
}

/**
 * The payload of a HASHES message answering `range` from `tree` (a fresh buffer), or
 * undefined when the request cannot be answered: a layer we do not hold (below the piece
 * layer, or the root's), a length that is not a power of two from 2 to 512, an index that
 * is not a multiple of it or runs past the layer, or more proof layers than the tree has.
 */
export function answerHashRequest(tree: PieceTree, range: HashRange): Uint8Array | undefined {
  const { baseLayer, index, length, proofLayers } = range;
  const rootLayer = tree.baseLayer + tree.layers.length - 1;
  if (baseLayer < tree.baseLayer || baseLayer >= rootLayer) return undefined;
  if (!isPowerOfTwo(length) || length < 2 || length > MAX_HASH_REQUEST_LENGTH || index % length !== 0) return undefined;
  // The root has no sibling: proof layers stop below it.
  if (baseLayer + proofLayers >= rootLayer) return undefined;
  const layers = tree.layers.slice(baseLayer - tree.baseLayer);
  const base = layers[0]!;
  if ((index + length) * HASH_SIZE_V2 > base.length) return undefined;
  const uncles = uncleCount(range);
  const out = new Uint8Array((length + uncles) * HASH_SIZE_V2);
  out.set(base.subarray(index * HASH_SIZE_V2, (index + length) * HASH_SIZE_V2));
  const first = Math.log2(length);
  for (let i = 0; i < uncles; i++) {
    const sibling = Math.floor(index / 2 ** (first + i)) ^ 1;
    out.set(layers[first + i]!.subarray(sibling * HASH_SIZE_V2, (sibling + 1) * HASH_SIZE_V2), (length + i) * HASH_SIZE_V2);
  }
  return out;
}
