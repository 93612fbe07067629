import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../src/bitfield/bitfield.js';
import { PiecePicker, type PiecePickerOptions } from '../../src/picker/piece-picker.js';
import type { BlockRequest } from '../../src/picker/piece-download.js';

const KIB = 1024;
const BLOCK = 16 * KIB;

// A seeded generator, so tie-breaking is reproducible.
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bits(length: number, set: readonly number[]): Bitfield {
  const bitfield = new Bitfield(length);
  for (const i of set) bitfield.set(i);
  return bitfield;
}

// Pieces of one block each make "which piece" tests read simply.
function picker(pieces: number, options: Partial<PiecePickerOptions> = {}): PiecePicker {
  return new PiecePicker({ pieceLength: BLOCK, totalLength: pieces * BLOCK, random: seeded(1), randomFirstPieces: 0, ...options });
}

function piecesOf(requests: readonly BlockRequest[]): number[] {
  return [...new Set(requests.map((r) => r.piece))];
}

function deliver(p: PiecePicker, peer: string, requests: readonly BlockRequest[]): void {
  for (const r of requests) p.blockReceived(peer, r);
}

describe('PiecePicker: geometry', () => {
  it('cuts pieces into 16 KiB blocks, the last piece and last block shorter', () => {
    const p = new PiecePicker({ pieceLength: 40_000, totalLength: 100_000, randomFirstPieces: 0 });
    p.peerHaveAll('seed');
    p.setSequential({});
    const requests = p.pick('seed', 100);
    expect(requests).toEqual([
      { piece: 0, begin: 0, length: BLOCK },
      { piece: 0, begin: BLOCK, length: BLOCK },
      { piece: 0, begin: 2 * BLOCK, length: 40_000 - 2 * BLOCK },
      { piece: 1, begin: 0, length: BLOCK },
      { piece: 1, begin: BLOCK, length: BLOCK },
      { piece: 1, begin: 2 * BLOCK, length: 40_000 - 2 * BLOCK },
      { piece: 2, begin: 0, length: BLOCK },
      { piece: 2, begin: BLOCK, length: 20_000 - BLOCK },
    ]);
    expect(p.pieceCount).toBe(3);
    expect(p.pieceLengthOf(2)).toBe(20_000);
  });

  it('has nothing to pick in an empty torrent', () => {
    const p = new PiecePicker({ pieceLength: BLOCK, totalLength: 0 });
    p.peerHaveAll('seed');
    expect(p.pick('seed', 10)).toEqual([]);
    expect(p.isEndgame).toBe(false);
  });

  it.each([
    { name: 'zero piece length', options: { pieceLength: 0, totalLength: 10 } },
    { name: 'negative total', options: { pieceLength: 10, totalLength: -1 } },
    { name: 'fractional block', options: { pieceLength: 10, totalLength: 10, blockLength: 1.5 } },
  ])('refuses bad geometry: $name', ({ options }) => {
    expect(() => new PiecePicker(options)).toThrow(RangeError);
  });
});

describe('PiecePicker: availability', () => {
  it.each([
    { name: 'bitfields add up', events: (p: PiecePicker) => { p.peerBitfield('a', bits(4, [0, 1])); p.peerBitfield('b', bits(4, [1])); }, expected: [1, 2, 0, 0] },
    { name: 'have adds one', events: (p: PiecePicker) => { p.peerHaveNone('a'); p.peerHave('a', 3); p.peerHave('a', 3); }, expected: [0, 0, 0, 1] },
    { name: 'have-all counts every piece', events: (p: PiecePicker) => { p.peerHaveAll('s'); p.peerBitfield('a', bits(4, [2])); }, expected: [1, 1, 2, 1] },
    { name: 'a departing peer takes its pieces', events: (p: PiecePicker) => { p.peerBitfield('a', bits(4, [0, 2])); p.peerHaveAll('s'); p.peerGone('a'); p.peerGone('s'); }, expected: [0, 0, 0, 0] },
    { name: 'a mid-connection bitfield is a bulk have (aria2)', events: (p: PiecePicker) => { p.peerBitfield('a', bits(4, [0])); p.peerBitfield('a', bits(4, [0, 1])); }, expected: [1, 1, 0, 0] },
    { name: 'a peer completing by haves becomes a seed once', events: (p: PiecePicker) => { p.peerBitfield('a', bits(4, [0, 1, 2])); p.peerHave('a', 3); p.peerHaveAll('a'); }, expected: [1, 1, 1, 1] },
    { name: 'a full bitfield is a seed', events: (p: PiecePicker) => { p.peerBitfield('a', bits(4, [0, 1, 2, 3])); p.peerGone('a'); }, expected: [0, 0, 0, 0] },
  ])('$name', ({ events, expected }) => {
    const p = picker(4);
    events(p);
    expect([0, 1, 2, 3].map((i) => p.availability(i))).toEqual(expected);
  });

  it('refuses a bitfield of the wrong size and a have out of range', () => {
    const p = picker(4);
    expect(() => p.peerBitfield('a', new Bitfield(5))).toThrow(RangeError);
    expect(() => p.peerHave('a', 4)).toThrow(RangeError);
  });

  it('picks nothing from a peer that has told us nothing', () => {
    const p = picker(4);
    expect(p.pick('stranger', 4)).toEqual([]);
    p.peerHaveNone('empty');
    expect(p.pick('empty', 4)).toEqual([]);
  });
});

describe('PiecePicker: order', () => {
  it('picks the rarest piece the peer has', () => {
    const p = picker(6);
    p.peerBitfield('a', bits(6, [0, 1, 2, 3, 4, 5]));
    p.peerBitfield('b', bits(6, [0, 1, 2, 3, 5]));
    p.peerBitfield('c', bits(6, [0, 1, 2, 5]));
    p.peerBitfield('d', bits(6, [0, 1, 5]));
    // availability: 0:4 1:4 2:3 3:2 4:1 5:4
    expect(piecesOf(p.pick('a', 1))).toEqual([4]);
    expect(piecesOf(p.pick('a', 1))).toEqual([3]);
    expect(piecesOf(p.pick('a', 1))).toEqual([2]);
  });

  it('follows availability as it changes', () => {
    const p = picker(3);
    p.peerBitfield('a', bits(3, [0, 1, 2]));
    p.pick('a', 0); // builds the order
    p.peerBitfield('b', bits(3, [0, 2]));
    expect(piecesOf(p.pick('a', 1))).toEqual([1]);
    p.peerGone('b');
    p.peerBitfield('c', bits(3, [1, 2]));
    expect(piecesOf(p.pick('a', 1))).toEqual([0]);
  });

  it('seeds do not change which piece is rarest', () => {
    const p = picker(3);
    p.peerBitfield('a', bits(3, [0, 1]));
    p.peerBitfield('b', bits(3, [1]));
    for (let s = 0; s < 10; s++) p.peerHaveAll(`seed${s}`);
    expect(piecesOf(p.pick('seed0', 1))).toEqual([2]);
    expect(piecesOf(p.pick('seed0', 1))).toEqual([0]);
  });

  it('breaks ties between equally rare pieces with the random source', () => {
    const chosen = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const p = picker(8, { random: seeded(seed) });
      p.peerHaveAll('seed');
      chosen.add(p.pick('seed', 1)[0]!.piece);
    }
    expect(chosen.size).toBeGreaterThan(3);
  });

  it('picks at random, not rarest first, until randomFirstPieces are verified', () => {
    const rarest = (seed: number, randomFirstPieces: number): boolean => {
      const p = picker(10, { random: seeded(seed), randomFirstPieces });
      p.peerHaveAll('seed');
      p.peerBitfield('a', bits(10, [0, 1, 2, 3, 4, 5, 6, 7, 8]));
      return p.pick('seed', 1)[0]!.piece === 9;
    };
    const seeds = Array.from({ length: 30 }, (_, i) => i);
    expect(seeds.every((s) => rarest(s, 0))).toBe(true);
    expect(seeds.filter((s) => rarest(s, 4)).length).toBeLessThan(10);
  });

  it('leaves the random-first phase once enough pieces are verified', () => {
    const p = picker(10, { randomFirstPieces: 1, random: () => 0.5 });
    p.peerHaveAll('seed');
    p.peerBitfield('a', bits(10, [0, 1, 2, 3, 4, 5, 6, 7, 8]));
    p.pieceVerified(0);
    expect(piecesOf(p.pick('seed', 1))).toEqual([9]);
  });

  it('finishes partially downloaded pieces before starting new ones', () => {
    const p = new PiecePicker({ pieceLength: 4 * BLOCK, totalLength: 40 * BLOCK, random: seeded(3), randomFirstPieces: 0 });
    p.peerHaveAll('a');
    p.peerHaveAll('b');
    const first = p.pick('a', 1);
    const piece = first[0]!.piece;
    const next = p.pick('b', 3);
    expect(piecesOf(next)).toEqual([piece]);
    expect(next.map((r) => r.begin)).toEqual([BLOCK, 2 * BLOCK, 3 * BLOCK]);
  });

  it('prefers the partial piece closest to completion', () => {
    const p = new PiecePicker({ pieceLength: 4 * BLOCK, totalLength: 8 * BLOCK, randomFirstPieces: 0 });
    p.peerHaveAll('a');
    p.blockReceived('a', { piece: 0, begin: 0 });
    p.blockReceived('a', { piece: 1, begin: 0 });
    p.blockReceived('a', { piece: 1, begin: BLOCK });
    expect(piecesOf(p.pick('a', 1))).toEqual([1]);
  });

  it('starts a suggested piece before the rarest one (BEP 6)', () => {
    const p = picker(5);
    p.peerHaveAll('a');
    p.peerBitfield('b', bits(5, [0, 1, 2, 3]));
    p.peerSuggest('a', 1);
    expect(piecesOf(p.pick('a', 2))).toEqual([1, 4]);
  });

  it('never picks a piece the peer lacks', () => {
    const p = picker(6);
    p.peerBitfield('a', bits(6, [2, 5]));
    expect(piecesOf(p.pick('a', 10)).sort()).toEqual([2, 5]);
  });
});

describe('PiecePicker: choked peers (BEP 6 allowed fast)', () => {
  it('asks a choking peer only for its allowed-fast pieces', () => {
    const p = picker(6);
    p.peerHaveAll('a');
    expect(p.pick('a', 4, { choked: true })).toEqual([]);
    p.peerAllowedFast('a', 3);
    p.peerAllowedFast('a', 5);
    expect(piecesOf(p.pick('a', 4, { choked: true })).sort()).toEqual([3, 5]);
  });

  it('skips allowed-fast pieces the peer lacks or we have', () => {
    const p = picker(6);
    p.peerBitfield('a', bits(6, [1, 2]));
    p.pieceVerified(2);
    p.peerAllowedFast('a', 0);
    p.peerAllowedFast('a', 1);
    p.peerAllowedFast('a', 2);
    expect(piecesOf(p.pick('a', 4, { choked: true }))).toEqual([1]);
  });
});

describe('PiecePicker: blocks and endgame', () => {
  it('marks picked blocks as requested, so another peer gets different ones', () => {
    const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: 4 * BLOCK, randomFirstPieces: 0, random: seeded(5) });
    p.peerHaveAll('a');
    p.peerHaveAll('b');
    const a = p.pick('a', 2);
    const b = p.pick('b', 2);
    const key = (r: BlockRequest): string => `${r.piece}:${r.begin}`;
    expect(new Set([...a, ...b].map(key)).size).toBe(4);
    expect(p.isEndgame).toBe(true);
  });

  it('enters endgame only when every missing block is asked for, then duplicates to other peers', () => {
    const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: 2 * BLOCK, randomFirstPieces: 0 });
    p.peerHaveAll('a');
    p.peerHaveAll('b');
    p.peerHaveAll('c');
    expect(p.pick('a', 1)).toHaveLength(1);
    expect(p.isEndgame).toBe(false);
    expect(p.pick('a', 1)).toHaveLength(1);
    expect(p.isEndgame).toBe(true);
    const dup = p.pick('b', 5);
    expect(dup).toHaveLength(2);
    expect(p.pick('a', 5)).toEqual([]); // never the same block twice to one peer
    const arrival = p.blockReceived('b', dup[0]!);
    expect(arrival).toEqual({ status: 'new', pieceComplete: false, cancel: ['a'] });
    const late = p.blockReceived('a', dup[0]!);
    expect(late.status).toBe('duplicate');
  });

  it('holds endgame duplicates to maxEndgameRequesters per block, least duplicated first', () => {
    const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: 2 * BLOCK, randomFirstPieces: 0, maxEndgameRequesters: 2 });
    for (const peer of ['a', 'b', 'c']) p.peerHaveAll(peer);
    p.pick('a', 2);
    expect(p.pick('b', 1)).toHaveLength(1);
    const second = p.pick('c', 2);
    expect(second).toHaveLength(1);
    expect(p.pick('c', 2)).toEqual([]);
  });

  it('reports a piece complete when its last block arrives', () => {
    const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: 2 * BLOCK, randomFirstPieces: 0 });
    p.peerHaveAll('a');
    const [b0, b1] = p.pick('a', 2);
    expect(p.blockReceived('a', b0!).pieceComplete).toBe(false);
    expect(p.blockReceived('a', b1!)).toEqual({ status: 'new', pieceComplete: true, cancel: [] });
    expect(p.receivedBlocks(0)).toBe(2);
  });

  it.each([
    { name: 'a piece out of range', block: { piece: 9, begin: 0 } },
    { name: 'an offset inside a block', block: { piece: 0, begin: 100 } },
    { name: 'an offset past the piece', block: { piece: 0, begin: 2 * BLOCK } },
    { name: 'a wrong length', block: { piece: 0, begin: 0, length: 5 } },
  ])('treats $name as unexpected', ({ block }) => {
    const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: 2 * BLOCK });
    expect(p.blockReceived('a', block).status).toBe('unexpected');
    expect(p.downloading).toEqual([]);
  });

  it('takes an unrequested block of a missing piece, and calls a block of a verified piece a duplicate', () => {
    const p = picker(2);
    expect(p.blockReceived('a', { piece: 1, begin: 0 })).toMatchObject({ status: 'new', pieceComplete: true });
    p.pieceVerified(1);
    expect(p.blockReceived('a', { piece: 1, begin: 0 }).status).toBe('duplicate');
  });

  it('frees a released request for others, and drops idle per-block state', () => {
    const p = picker(1);
    p.peerHaveAll('a');
    p.peerHaveAll('b');
    const [block] = p.pick('a', 1);
    expect(p.requestReleased('b', block!)).toBe(false);
    expect(p.requestReleased('a', block!)).toBe(true);
    expect(p.downloading).toEqual([]);
    expect(p.pick('b', 1)).toEqual([block]);
  });

  it('returns a departing peer\'s requests and makes them pickable again', () => {
    const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: 2 * BLOCK, randomFirstPieces: 0 });
    p.peerHaveAll('a');
    p.peerHaveAll('b');
    const taken = p.pick('a', 2);
    expect(p.peerGone('a')).toEqual(taken);
    expect(p.isEndgame).toBe(false);
    expect(p.pick('b', 2)).toEqual(taken);
  });
});

describe('PiecePicker: verification', () => {
  it('never picks a verified piece again and stops being interested when done', () => {
    const p = picker(2);
    p.peerHaveAll('a');
    expect(p.isInteresting('a')).toBe(true);
    deliver(p, 'a', p.pick('a', 2));
    p.pieceVerified(0);
    p.pieceVerified(1);
    expect(p.pick('a', 2)).toEqual([]);
    expect(p.isInteresting('a')).toBe(false);
    expect(p.bitfield().isComplete).toBe(true);
    expect(p.downloading).toEqual([]);
  });

  it('on a hash failure, resets the piece and returns who contributed', () => {
    const p = new PiecePicker({ pieceLength: 3 * BLOCK, totalLength: 3 * BLOCK, randomFirstPieces: 0 });
    p.peerHaveAll('a');
    p.peerHaveAll('b');
    const fromA = p.pick('a', 2);
    const fromB = p.pick('b', 1);
    deliver(p, 'b', fromB);
    deliver(p, 'a', fromA);
    expect(p.pieceFailed(0)).toEqual({ contributors: ['a', 'b'], failures: 1 });
    expect(p.receivedBlocks(0)).toBe(0);
    expect(p.pick('b', 5)).toHaveLength(3);
    expect(p.pieceFailed(0).failures).toBe(2);
  });

  it('takes pieces we already have from the start (resume)', () => {
    const p = picker(3, { have: bits(3, [0, 2]) });
    p.peerHaveAll('a');
    expect(piecesOf(p.pick('a', 5))).toEqual([1]);
    expect(p.progress()).toEqual({ bytesWanted: 3 * BLOCK, bytesDone: 2 * BLOCK, piecesWanted: 3, piecesDone: 2 });
  });
});

describe('PiecePicker: priorities', () => {
  it('never picks a piece of priority 0', () => {
    const p = picker(4);
    p.peerHaveAll('a');
    p.setPiecePriority(1, 0);
    p.setPiecePriority(2, 0);
    expect(piecesOf(p.pick('a', 10)).sort()).toEqual([0, 3]);
  });

  it('picks higher priority before rarer pieces, and follows changes on the fly', () => {
    const p = picker(4);
    p.peerHaveAll('a');
    p.peerBitfield('b', bits(4, [0, 1, 2]));
    p.setPiecePriority(0, 7);
    expect(piecesOf(p.pick('a', 1))).toEqual([0]);
    p.setPiecePriority(1, 6);
    expect(piecesOf(p.pick('a', 1))).toEqual([1]);
    expect(piecesOf(p.pick('a', 1))).toEqual([3]);
  });

  it('maps file priorities to pieces: a piece shared by a skipped and a wanted file is wanted', () => {
    // pieces of 16 KiB; file a = piece 0 and half of 1; file b = rest of 1 and piece 2; file c = piece 3
    const p = picker(4);
    p.peerHaveAll('s');
    p.setFilePriorities(
      [
        { offset: 0, length: BLOCK + 100 },
        { offset: BLOCK + 100, length: 2 * BLOCK - 100 },
        { offset: 3 * BLOCK, length: BLOCK },
      ],
      [0, 4, 0],
    );
    expect([0, 1, 2, 3].map((i) => p.priority(i))).toEqual([0, 4, 4, 0]);
    expect(piecesOf(p.pick('s', 10)).sort()).toEqual([1, 2]);
    expect(p.progress()).toMatchObject({ piecesWanted: 2, bytesWanted: 2 * BLOCK });
  });

  it('is not interested in a peer that only has skipped pieces', () => {
    const p = picker(3);
    p.peerBitfield('a', bits(3, [2]));
    p.setPiecePriority(2, 0);
    expect(p.isInteresting('a')).toBe(false);
    p.setPiecePriority(2, 1);
    expect(p.isInteresting('a')).toBe(true);
  });

  it('refuses priorities outside 0..7', () => {
    const p = picker(2);
    expect(() => p.setPiecePriority(0, 8)).toThrow(RangeError);
    expect(() => p.setPiecePriorities(Uint8Array.of(1))).toThrow(RangeError);
  });
});

describe('PiecePicker: sequential mode', () => {
  it('picks in piece order from the playhead', () => {
    const p = picker(8);
    p.peerHaveAll('a');
    p.peerBitfield('b', bits(8, [0, 1, 2, 3, 4, 5, 6]));
    p.setSequential({ from: 2 });
    expect(p.pick('a', 3).map((r) => r.piece)).toEqual([2, 3, 4]);
  });

  it('within a window only, then rarest first beyond it', () => {
    const p = picker(8);
    p.peerHaveAll('a');
    p.peerBitfield('b', bits(8, [0, 1, 2, 3, 4, 5, 6]));
    p.setSequential({ window: 2 });
    expect(p.pick('a', 3).map((r) => r.piece)).toEqual([0, 1, 7]);
  });

  it('goes back for a piece behind its cursor that becomes wanted again', () => {
    const p = picker(4);
    p.peerHaveAll('a');
    p.setSequential({ window: 1 });
    p.setPiecePriority(0, 0);
    expect(p.pick('a', 1).map((r) => r.piece)).toEqual([1]);
    p.setPiecePriority(0, 4);
    expect(p.pick('a', 1).map((r) => r.piece)).toEqual([0]);
  });

  it('moves its window past verified pieces', () => {
    const p = picker(6);
    p.peerHaveAll('a');
    p.setSequential({ window: 1 });
    p.pieceVerified(0);
    p.pieceVerified(1);
    expect(p.pick('a', 1).map((r) => r.piece)).toEqual([2]);
    p.setSequential(false);
    p.peerBitfield('b', bits(6, [3, 4]));
    expect(p.pick('a', 1).map((r) => r.piece)).toEqual([5]);
  });
});

describe('PiecePicker: memory', () => {
  it('keeps per-block state only for pieces in progress in a 100k-piece torrent', () => {
    const pieceCount = 100_000;
    const p = new PiecePicker({ pieceLength: 256 * KIB, totalLength: pieceCount * 256 * KIB, random: seeded(9) });
    for (let i = 0; i < 20; i++) p.peerHaveAll(`seed${i}`);
    const sparse = new Bitfield(pieceCount);
    for (let i = 0; i < pieceCount; i += 7) sparse.set(i);
    p.peerBitfield('sparse', sparse);
    const start = performance.now();
    let total = 0;
    for (let round = 0; round < 50; round++) total += p.pick(`seed${round % 20}`, 40).length;
    const elapsed = performance.now() - start;
    expect(total).toBe(2000);
    expect(p.downloading.length).toBe(2000 / 16);
    expect(elapsed).toBeLessThan(2000);
  });
});
