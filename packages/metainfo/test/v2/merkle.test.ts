import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, isDictionary, keyBytes, type BencodeDictionary, type BencodeValue } from '@gtorr/bencode';
import { interop } from '@gtorr/interop';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK_SIZE_V2, fileTreeHashes, hasPieceLayer, hashBlocksV2, merkleRoot, padHashForPiece, pieceHashV2, pieceLayerRoot } from '../../src/index.js';
import { libtorrentCreate } from './libtorrent.js';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const zero = new Uint8Array(32);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** A plain recursive Merkle root, written from the BEP text, to check the real one against. */
function naiveRoot(leaves: Uint8Array[], width: number, pad: Uint8Array): Uint8Array {
  if (width === 1) return leaves[0] ?? pad;
  const half = width / 2;
  let padBelow = pad;
  for (let w = 1; w < half; w *= 2) padBelow = sha256(padBelow, padBelow);
  const left = leaves.length > 0 ? naiveRoot(leaves.slice(0, half), half, pad) : padBelow;
  const right = leaves.length > half ? naiveRoot(leaves.slice(half), half, pad) : padBelow;
  return sha256(left, right);
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
const leavesOf = (data: Uint8Array) => Array.from({ length: Math.ceil(data.length / BLOCK_SIZE_V2) }, (_, i) => sha256(data.subarray(i * BLOCK_SIZE_V2, (i + 1) * BLOCK_SIZE_V2)));

describe('BEP 52 Merkle trees', () => {
  it('a tree of one leaf has that leaf as its root', () => {
    const leaf = sha256(new Uint8Array([1, 2, 3]));
    expect(hex(merkleRoot([leaf]))).toBe(hex(leaf));
    expect(hex(merkleRoot(leaf))).toBe(hex(leaf));
  });

  it('pads missing leaves with zero hashes up to the next power of two', () => {
    const a = sha256(new Uint8Array([1]));
    const b = sha256(new Uint8Array([2]));
    const c = sha256(new Uint8Array([3]));
    expect(hex(merkleRoot([a, b, c]))).toBe(hex(sha256(sha256(a, b), sha256(c, zero))));
    expect(hex(merkleRoot([a], 4))).toBe(hex(sha256(sha256(a, zero), sha256(zero, zero))));
  });

  it('uses the given pad hash for missing leaves', () => {
    const a = sha256(new Uint8Array([1]));
    const pad = sha256(new Uint8Array([9]));
    expect(hex(merkleRoot([a], 4, pad))).toBe(hex(sha256(sha256(a, pad), sha256(pad, pad))));
    expect(hex(merkleRoot([], 2, pad))).toBe(hex(sha256(pad, pad)));
  });

  it('rejects widths that are not powers of two or too small, and hashes of the wrong size', () => {
    const a = sha256(new Uint8Array([1]));
    expect(() => merkleRoot([a, a, a], 2)).toThrow(RangeError);
    expect(() => merkleRoot([a], 3)).toThrow(RangeError);
    expect(() => merkleRoot([a.subarray(1)])).toThrow(RangeError);
    expect(() => merkleRoot(new Uint8Array(33))).toThrow(RangeError);
    expect(() => merkleRoot([])).toThrow(RangeError);
  });

  it('the pad hash of a piece is the root of a piece of zero leaves', () => {
    expect(hex(padHashForPiece(16384))).toBe(hex(zero));
    expect(hex(padHashForPiece(32768))).toBe(hex(sha256(zero, zero)));
    const z2 = sha256(zero, zero);
    expect(hex(padHashForPiece(65536))).toBe(hex(sha256(z2, z2)));
    expect(hex(padHashForPiece(1 << 22))).toBe(hex(merkleRoot([], 256)));
    expect(() => padHashForPiece(8192)).toThrow(RangeError);
    expect(() => padHashForPiece(49152)).toThrow(RangeError);
  });

  it('hashes 16 KiB blocks, the last one short', () => {
    const data = randomBytes(40000);
    const leaves = hashBlocksV2(data);
    expect(leaves.length).toBe(3 * 32);
    expect(hex(leaves.subarray(64))).toBe(hex(sha256(data.subarray(32768))));
  });

  it('a file within one piece gets a tree only as wide as its blocks, and no piece layer', () => {
    const data = randomBytes(20000); // 2 blocks, piece of 8 blocks
    const { piecesRoot, pieceLayer } = fileTreeHashes(hashBlocksV2(data), 131072);
    expect(hex(piecesRoot)).toBe(hex(sha256(sha256(data.subarray(0, 16384)), sha256(data.subarray(16384)))));
    expect(hex(pieceLayer)).toBe(hex(piecesRoot));
    expect(hex(pieceHashV2(data, 131072, data.length))).toBe(hex(piecesRoot));
    expect(hex(pieceLayerRoot(pieceLayer, 131072, data.length))).toBe(hex(piecesRoot));
    expect(hasPieceLayer(data.length, 131072)).toBe(false);
    expect(hasPieceLayer(131072, 131072)).toBe(false);
    expect(hasPieceLayer(131073, 131072)).toBe(true);
  });

  it('rejects an empty file and a piece layer of the wrong size', () => {
    expect(() => fileTreeHashes(new Uint8Array(0), 16384)).toThrow(RangeError);
    expect(() => pieceLayerRoot(new Uint8Array(64), 16384, 16385 * 3)).toThrow(RangeError);
  });

  it('agrees with a naive tree on random files and piece lengths (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 * BLOCK_SIZE_V2 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (length, shift, seed) => {
        const data = new Uint8Array(length);
        for (let i = 0; i < length; i += 4096) data[i] = (seed + i) & 0xff;
        const pieceLength = BLOCK_SIZE_V2 << shift;
        const leaves = leavesOf(data);
        const expectedRoot = naiveRoot(leaves, nextPow2(leaves.length), zero);
        const { piecesRoot, pieceLayer } = fileTreeHashes(hashBlocksV2(data), pieceLength);
        expect(hex(piecesRoot)).toBe(hex(expectedRoot));
        expect(hex(merkleRoot(leaves))).toBe(hex(expectedRoot));
        expect(hex(pieceLayerRoot(pieceLayer, pieceLength, length))).toBe(hex(expectedRoot));
        const pieces = Math.ceil(length / pieceLength);
        expect(pieceLayer.length).toBe(pieces * 32);
        for (let p = 0; p < pieces; p++) {
          const piece = data.subarray(p * pieceLength, (p + 1) * pieceLength);
          expect(hex(pieceHashV2(piece, pieceLength, length))).toBe(hex(pieceLayer.subarray(p * 32, p * 32 + 32)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never modifies its input', () => {
    const leaves = hashBlocksV2(randomBytes(5 * BLOCK_SIZE_V2 + 7));
    const copy = leaves.slice();
    merkleRoot(leaves);
    fileTreeHashes(leaves, 32768);
    expect(hex(leaves)).toBe(hex(copy));
  });
});

describe.runIf(interop('libtorrent'))('BEP 52 Merkle trees against libtorrent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtorr-merkle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sizes = [1, 16383, 16384, 16385, 32768, 32769, 65536 * 3 + 5, 300_000, 1_048_577];

  for (const pieceLength of [16384, 32768, 262144]) {
    it(`gives the same pieces roots and piece layers with ${pieceLength / 1024} KiB pieces`, () => {
      const root = join(dir, `p${pieceLength}`, 'content');
      mkdirSync(root, { recursive: true });
      const contents = new Map<string, Uint8Array>();
      sizes.forEach((size, i) => {
        const data = randomBytes(size);
        contents.set(`f${i}`, data);
        writeFileSync(join(root, `f${i}`), data);
      });
      const out = join(dir, `p${pieceLength}.torrent`);
      libtorrentCreate(root, pieceLength, 'v2', out);
      const torrent = decode(readFileSync(out)) as BencodeDictionary;
      const info = torrent.info as BencodeDictionary;
      const tree = info['file tree'] as BencodeDictionary;
      const layers = torrent['piece layers'] as BencodeDictionary | undefined;
      const layerByRoot = new Map<string, Uint8Array>();
      if (layers) for (const key of Object.keys(layers)) layerByRoot.set(hex(keyBytes(layers, key)), layers[key] as Uint8Array);

      let compared = 0;
      for (const [name, data] of contents) {
        const entry = (tree[name] as BencodeDictionary)[''] as BencodeValue;
        if (!isDictionary(entry)) throw new Error('no file entry');
        const theirs = entry['pieces root'] as Uint8Array;
        const ours = fileTreeHashes(hashBlocksV2(data), pieceLength);
        expect(hex(ours.piecesRoot), name).toBe(hex(theirs));
        expect(layerByRoot.has(hex(theirs)), name).toBe(hasPieceLayer(data.length, pieceLength));
        const layer = layerByRoot.get(hex(theirs));
        if (layer) {
          expect(hex(ours.pieceLayer), name).toBe(hex(layer));
          expect(hex(pieceLayerRoot(layer, pieceLength, data.length))).toBe(hex(theirs));
        }
        compared++;
      }
      expect(compared).toBe(sizes.length);
    });
  }
});
