import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../src/bitfield/bitfield.js';
import { PiecePicker } from '../../src/picker/piece-picker.js';

const BLOCK = 16 * 1024;
const PEERS = ['p0', 'p1', 'p2', 'p3'] as const;
const MAX_ENDGAME = 2;

type Op =
  | { kind: 'bitfield'; peer: number; pieces: number[] }
  | { kind: 'have'; peer: number; piece: number }
  | { kind: 'haveAll'; peer: number }
  | { kind: 'gone'; peer: number }
  | { kind: 'pick'; peer: number; count: number; choked: boolean }
  | { kind: 'receive'; peer: number; pick: number }
  | { kind: 'release'; peer: number; pick: number }
  | { kind: 'verify'; piece: number }
  | { kind: 'fail'; piece: number }
  | { kind: 'priority'; piece: number; priority: number }
  | { kind: 'fast'; peer: number; piece: number };

const peer = fc.nat(PEERS.length - 1);
const piece = fc.nat(7);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('bitfield' as const), peer, pieces: fc.array(piece, { maxLength: 8 }) }),
  fc.record({ kind: fc.constant('have' as const), peer, piece }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('haveAll' as const), peer }) },
  fc.record({ kind: fc.constant('gone' as const), peer }),
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pick' as const), peer, count: fc.integer({ min: 1, max: 6 }), choked: fc.constantFrom(false, false, false, true) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('receive' as const), peer, pick: fc.nat() }) },
  fc.record({ kind: fc.constant('release' as const), peer, pick: fc.nat() }),
  fc.record({ kind: fc.constant('verify' as const), piece }),
  fc.record({ kind: fc.constant('fail' as const), piece }),
  fc.record({ kind: fc.constant('priority' as const), piece, priority: fc.nat(7) }),
  fc.record({ kind: fc.constant('fast' as const), peer, piece }),
);

const geometry = fc.record({
  pieceCount: fc.integer({ min: 1, max: 8 }),
  pieceLength: fc.constantFrom(BLOCK, 2 * BLOCK + 100, 3 * BLOCK),
  lastShort: fc.nat(BLOCK),
  seed: fc.nat(),
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('PiecePicker properties (fast-check, against a model)', () => {
  it('only picks wanted pieces the peer has, never a block twice to one peer, duplicates only in endgame', () => {
    fc.assert(
      fc.property(geometry, fc.array(op, { minLength: 10, maxLength: 80, size: 'max' }), ({ pieceCount, pieceLength, lastShort, seed }, ops) => {
        const totalLength = pieceCount * pieceLength - Math.min(lastShort, pieceLength - 1);
        const p = new PiecePicker({ pieceLength, totalLength, random: seeded(seed), randomFirstPieces: 2, maxEndgameRequesters: MAX_ENDGAME });
        const n = p.pieceCount;
        // The model: what each peer has, what we have, priorities, allowed-fast sets, outstanding requests.
        const has = new Map<string, Set<number> | 'all'>();
        const have = new Set<number>();
        const priority = new Array<number>(n).fill(4);
        const fast = new Map<string, Set<number>>();
        const outstanding = new Map<string, Map<string, { piece: number; begin: number }>>();
        const peerHas = (who: string, i: number): boolean => {
          const h = has.get(who);
          return h === 'all' || (h?.has(i) ?? false);
        };
        const drop = (pred: (r: { piece: number; begin: number }) => boolean, who?: string): void => {
          for (const [w, map] of outstanding) {
            if (who !== undefined && w !== who) continue;
            for (const [k, r] of map) if (pred(r)) map.delete(k);
          }
        };

        for (const o of ops) {
          const who = 'peer' in o ? PEERS[o.peer]! : '';
          switch (o.kind) {
            case 'bitfield': {
              const bits = new Bitfield(n);
              for (const i of o.pieces) if (i < n) bits.set(i);
              p.peerBitfield(who, bits);
              const h = has.get(who);
              if (h !== 'all') {
                const set = h ?? new Set<number>();
                for (const i of bits.setIndexes()) set.add(i);
                has.set(who, set.size === n ? 'all' : set);
              }
              break;
            }
            case 'have': {
              if (o.piece >= n) break;
              p.peerHave(who, o.piece);
              const h = has.get(who);
              if (h !== 'all') {
                const set = h ?? new Set<number>();
                set.add(o.piece);
                has.set(who, set.size === n ? 'all' : set);
              }
              break;
            }
            case 'haveAll':
              p.peerHaveAll(who);
              has.set(who, 'all');
              break;
            case 'gone': {
              const released = p.peerGone(who);
              expect(released.length).toBe(outstanding.get(who)?.size ?? 0);
              has.delete(who);
              fast.delete(who);
              outstanding.delete(who);
              break;
            }
            case 'fast':
              if (o.piece >= n) break;
              p.peerAllowedFast(who, o.piece);
              if (!fast.has(who)) fast.set(who, new Set());
              fast.get(who)!.add(o.piece);
              break;
            case 'pick': {
              const picked = p.pick(who, o.count, { choked: o.choked });
              expect(picked.length).toBeLessThanOrEqual(o.count);
              const mine = outstanding.get(who) ?? new Map<string, { piece: number; begin: number }>();
              outstanding.set(who, mine);
              let duplicated = false;
              for (const r of picked) {
                expect(priority[r.piece]).toBeGreaterThan(0);
                expect(have.has(r.piece)).toBe(false);
                expect(peerHas(who, r.piece)).toBe(true);
                if (o.choked) expect(fast.get(who)?.has(r.piece)).toBe(true);
                expect(r.begin % BLOCK).toBe(0);
                expect(r.length).toBe(Math.min(BLOCK, p.pieceLengthOf(r.piece) - r.begin));
                expect(r.length).toBeGreaterThan(0);
                const key = `${r.piece}:${r.begin}`;
                expect(mine.has(key)).toBe(false);
                mine.set(key, r);
                const others = [...outstanding].filter(([w, map]) => w !== who && map.has(key)).length;
                if (others > 0) duplicated = true;
                expect(others + 1).toBeLessThanOrEqual(MAX_ENDGAME);
              }
              if (duplicated) expect(p.isEndgame).toBe(true);
              break;
            }
            case 'receive': {
              const mine = [...(outstanding.get(who)?.values() ?? [])];
              if (mine.length === 0) break;
              const r = mine[o.pick % mine.length]!;
              const arrival = p.blockReceived(who, r);
              expect(arrival.status).toBe('new');
              const expectedCancel = PEERS.filter((w) => w !== who && outstanding.get(w)?.has(`${r.piece}:${r.begin}`));
              expect([...arrival.cancel].sort()).toEqual(expectedCancel);
              drop((x) => x.piece === r.piece && x.begin === r.begin);
              break;
            }
            case 'release': {
              const mine = [...(outstanding.get(who)?.values() ?? [])];
              if (mine.length === 0) break;
              const r = mine[o.pick % mine.length]!;
              expect(p.requestReleased(who, r)).toBe(true);
              drop((x) => x.piece === r.piece && x.begin === r.begin, who);
              break;
            }
            case 'verify':
              if (o.piece >= n) break;
              p.pieceVerified(o.piece);
              have.add(o.piece);
              drop((x) => x.piece === o.piece);
              break;
            case 'fail':
              if (o.piece >= n) break;
              p.pieceFailed(o.piece);
              drop((x) => x.piece === o.piece);
              break;
            case 'priority':
              if (o.piece >= n) break;
              p.setPiecePriority(o.piece, o.priority);
              priority[o.piece] = o.priority;
              break;
          }
          for (let i = 0; i < n; i++) {
            const expected = [...has.values()].filter((h) => h === 'all' || h.has(i)).length;
            expect(p.availability(i)).toBe(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('downloads everything from seeds, whatever the tie-breaking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.integer({ min: 1, max: 8 }), (pieceCount, seed, perPick) => {
        const p = new PiecePicker({ pieceLength: 2 * BLOCK, totalLength: pieceCount * 2 * BLOCK - 1, random: seeded(seed) });
        PEERS.forEach((w) => p.peerHaveAll(w));
        for (let round = 0; round < 10 * pieceCount && !p.bitfield().isComplete; round++) {
          const who = PEERS[round % PEERS.length]!;
          for (const r of p.pick(who, perPick)) {
            const arrival = p.blockReceived(who, r);
            if (arrival.pieceComplete) p.pieceVerified(r.piece);
          }
        }
        expect(p.bitfield().isComplete).toBe(true);
        expect(p.downloading).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
