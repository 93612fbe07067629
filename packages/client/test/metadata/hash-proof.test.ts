import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerHashRequest, pieceLayerRequests, pieceTree, uncleCount, verifyHashes } from '../../src/metadata/hash-proof.js';

// The trees here are built the plain way, apart from the code under test: a node is the hash
// of its two children, a leaf past the end is the hash of an empty subtree.
const BLOCK = 16 * 1024;
const PIECE_LENGTH = 32 * 1024;
const PIECE_LAYER = 1; // log2(32 KiB / 16 KiB)

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/** The hash of a subtree of `height` layers over nothing but zero leaves. */
function emptySubtree(height: number): Uint8Array {
  let node: Uint8Array = new Uint8Array(32);
  for (let i = 0; i < height; i++) node = sha256(node, node);
  return node;
}

/** Node `position` of the layer `height` above `leaves` (padded with `pad`). */
function nodeAt(leaves: readonly Uint8Array[], pad: Uint8Array, height: number, position: number): Uint8Array {
  if (height === 0) return leaves[position] ?? pad;
  return sha256(nodeAt(leaves, pad, height - 1, 2 * position), nodeAt(leaves, pad, height - 1, 2 * position + 1));
}

/** A file of `pieceCount` pieces as random piece hashes: its piece layer and root (the tree above the piece layer does not care what is below). */
function randomPieceLayer(pieceCount: number, seed = randomBytes(4)): { leaves: Uint8Array[]; layer: Uint8Array; root: Uint8Array } {
  const leaves = Array.from({ length: pieceCount }, (_, i) => sha256(seed, Uint8Array.of(i & 0xff, (i >> 8) & 0xff)));
  const root = nodeAt(leaves, emptySubtree(PIECE_LAYER), Math.log2(nextPowerOfTwo(pieceCount)), 0);
  return { leaves, layer: concat(leaves), root };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Fetches every range of the layer the way a leecher does: requests, a seed's answers, each verified, the real hashes kept. */
function fetchLayer(layer: Uint8Array, root: Uint8Array, pieceCount: number): Uint8Array {
  const tree = pieceTree(layer, PIECE_LENGTH);
  const treeLayers = Math.log2(nextPowerOfTwo(pieceCount));
  const parts: Uint8Array[] = [];
  for (const range of pieceLayerRequests(root, pieceCount, PIECE_LENGTH)) {
    const hashes = answerHashRequest(tree, range);
    expect(hashes).toBeDefined();
    expect(verifyHashes(range, hashes!, root, treeLayers)).toBe(true);
    parts.push(hashes!.subarray(0, Math.min(range.length, pieceCount - range.index) * 32));
  }
  return concat(parts);
}

describe('BEP 52 hash requests: planning, answering and verifying proofs', () => {
  it.each([2, 3, 5, 9])('fetches the piece layer of a file of %i pieces made of random data, equal to the layer hashed from the data', (pieceCount) => {
    const data = randomBytes(pieceCount * PIECE_LENGTH - 1234);
    const blocks: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += BLOCK) blocks.push(sha256(data.subarray(at, at + BLOCK)));
    const zero = new Uint8Array(32);
    const pieceHashes = Array.from({ length: pieceCount }, (_, p) => nodeAt(blocks, zero, PIECE_LAYER, p));
    const root = nodeAt(blocks, zero, Math.log2(nextPowerOfTwo(blocks.length)), 0);
    expect(fetchLayer(concat(pieceHashes), root, pieceCount)).toEqual(concat(pieceHashes));
  });

  it('asks for 512 hashes a request, the last range shorter, every index a multiple of its length, proved up to the root', () => {
    const root = new Uint8Array(32);
    expect(pieceLayerRequests(root, 3, PIECE_LENGTH).map(({ index, length, proofLayers }) => [index, length, proofLayers])).toEqual([[0, 4, 1]]);
    // 513 pieces: one more than a power of two. The tree above the piece layer is 1024 wide.
    const requests = pieceLayerRequests(root, 513, PIECE_LENGTH);
    expect(requests.map(({ index, length }) => [index, length])).toEqual([
      [0, 512],
      [512, 2],
    ]);
    expect(requests.map(uncleCount)).toEqual([1, 9]);
    expect(requests.every((r) => r.baseLayer === PIECE_LAYER && r.index % r.length === 0)).toBe(true);
    expect(pieceLayerRequests(root, 2, 4 * 1024 * 1024)[0]).toMatchObject({ baseLayer: 8, length: 2, proofLayers: 0 });
  });

  it('fetches a file of 513 pieces: the last partial range (1 real hash, 1 pad) proves itself with 9 uncles', () => {
    const { layer, root } = randomPieceLayer(513);
    expect(fetchLayer(layer, root, 513)).toEqual(layer);
  });

  it('fetches the layer of any piece count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1300 }), (pieceCount) => {
        const { layer, root } = randomPieceLayer(pieceCount);
        expect(fetchLayer(layer, root, pieceCount)).toEqual(layer);
      }),
      { numRuns: 25 },
    );
  });

  it('answers with the padded base hashes and the uncles bottom up, as a tree built apart says', () => {
    const pieceCount = 700;
    const { leaves, layer, root } = randomPieceLayer(pieceCount);
    const pad = emptySubtree(PIECE_LAYER);
    const tree = pieceTree(layer, PIECE_LENGTH);
    const [, last] = pieceLayerRequests(root, pieceCount, PIECE_LENGTH);
    expect(last).toMatchObject({ index: 512, length: 256 });
    const hashes = answerHashRequest(tree, last!)!;
    expect(hashes.length).toBe((256 + 2) * 32);
    for (let i = 0; i < 256; i++) expect(hashes.subarray(i * 32, (i + 1) * 32)).toEqual(leaves[512 + i] ?? pad);
    // Uncles: the sibling of the 256-wide subtree (node 2 of layer 8 above the pieces: node 3), then of its parent (node 1 of layer 9: node 0).
    expect(hashes.subarray(256 * 32, 257 * 32)).toEqual(nodeAt(leaves, pad, 8, 3));
    expect(hashes.subarray(257 * 32)).toEqual(nodeAt(leaves, pad, 9, 0));
    expect(verifyHashes(last!, hashes, root, 10)).toBe(true);
  });

  it('finds a wrong hash anywhere in an answer, a wrong count of uncles and the wrong position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 1100 }), fc.nat(), (pieceCount, pick) => {
        const { layer, root } = randomPieceLayer(pieceCount);
        const tree = pieceTree(layer, PIECE_LENGTH);
        const treeLayers = Math.log2(nextPowerOfTwo(pieceCount));
        const requests = pieceLayerRequests(root, pieceCount, PIECE_LENGTH);
        const range = requests[pick % requests.length]!;
        const hashes = answerHashRequest(tree, range)!;
        const flipped = hashes.slice();
        flipped[pick % flipped.length]! ^= 1;
        expect(verifyHashes(range, flipped, root, treeLayers)).toBe(false);
        expect(verifyHashes(range, hashes.subarray(0, hashes.length - 32), root, treeLayers)).toBe(false);
        expect(verifyHashes(range, hashes, root, treeLayers + 1)).toBe(false);
        if (requests.length > 1) expect(verifyHashes({ ...range, index: range.index === 0 ? range.length : 0 }, hashes, root, treeLayers)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('rejects requests it cannot answer: layers it does not hold, bad lengths and indices, too many proof layers', () => {
    const { layer, root } = randomPieceLayer(100); // 128 wide: the root is 7 layers above the pieces
    const tree = pieceTree(layer, PIECE_LENGTH);
    const good = { piecesRoot: root, baseLayer: PIECE_LAYER, index: 64, length: 64, proofLayers: 6 };
    expect(answerHashRequest(tree, good)?.length).toBe((64 + 1) * 32);
    for (const bad of [
      { baseLayer: 0 }, // the block layer: not held
      { baseLayer: PIECE_LAYER + 7 }, // the root's layer
      { length: 1 },
      { length: 48, index: 48 },
      { length: 1024, index: 0 },
      { index: 32 }, // not a multiple of 64
      { index: 128 }, // past the layer
      { proofLayers: 7 }, // the root has no sibling
    ]) {
      expect(answerHashRequest(tree, { ...good, ...bad }), JSON.stringify(bad)).toBeUndefined();
    }
    // Above the piece layer: 16 nodes of layer PIECE_LAYER + 3, proved by the rest of the way up.
    const higher = answerHashRequest(tree, { ...good, baseLayer: PIECE_LAYER + 3, index: 0, length: 16, proofLayers: 3 })!;
    expect(higher.length).toBe(16 * 32);
    expect(verifyHashes({ ...good, baseLayer: PIECE_LAYER + 3, index: 0, length: 16, proofLayers: 3 }, higher, root, 4)).toBe(true);
  });
});
