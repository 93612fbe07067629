import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Choker, type ChokeAction, type ChokerPeer } from '../../src/choker/choker.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const OLD = -1_000_000; // connected long ago: not "new"

function peer(id: string, fields: Partial<ChokerPeer> = {}): ChokerPeer {
  return { id, interested: true, downloadRate: 0, uploadRate: 0, connectedAt: OLD, ...fields };
}

function unchokes(actions: readonly ChokeAction[]): string[] {
  return actions.filter((a) => a.type === 'unchoke').map((a) => a.peer).sort();
}

describe('Choker: regular slots', () => {
  it('unchokes the 4 peers we download from fastest, plus one optimistic', () => {
    const choker = new Choker({ random: () => 0 });
    const peers = [10, 60, 20, 50, 40, 30].map((rate, i) => peer(`p${i}`, { downloadRate: rate }));
    const actions = choker.rechoke(peers, 0);
    const regular = ['p1', 'p3', 'p4', 'p5'];
    expect(actions.every((a) => a.type === 'unchoke')).toBe(true);
    expect(unchokes(actions)).toEqual([...regular, choker.optimistic!].sort());
    expect(['p0', 'p2']).toContain(choker.optimistic);
  });

  it.each([
    { name: 'a peer not interested', fields: { interested: false }, optimistic: false },
    { name: 'a snubbed peer (anti-snubbing)', fields: { snubbed: true }, optimistic: true },
  ])('never gives a regular slot to $name', ({ fields, optimistic }) => {
    const choker = new Choker({ slots: 1, random: () => 0 });
    const actions = choker.rechoke([peer('fast', { downloadRate: 1e9, ...fields }), peer('slow', { downloadRate: 1 })], 0);
    expect(unchokes(actions)).toEqual(optimistic ? ['fast', 'slow'] : ['slow']);
    expect(choker.optimistic).toBe(optimistic ? 'fast' : undefined);
  });

  it('chokes an unchoked peer that lost interest', () => {
    const choker = new Choker({ slots: 1 });
    choker.rechoke([peer('a')], 0);
    expect(choker.rechoke([peer('a', { interested: false })], 10_000)).toEqual([{ type: 'choke', peer: 'a' }]);
  });

  it('ranks by upload rate while seeding', () => {
    const choker = new Choker({ slots: 2, random: () => 0 });
    const peers = [peer('a', { uploadRate: 5, downloadRate: 100 }), peer('b', { uploadRate: 50 }), peer('c', { uploadRate: 30 }), peer('d', { uploadRate: 1 })];
    choker.rechoke(peers, 0, { seeding: true });
    const regular = [...choker.unchoked].filter((id) => id !== choker.optimistic).sort();
    expect(regular).toEqual(['b', 'c']);
  });

  it('sends nothing when nothing changed, and keeps incumbents on ties', () => {
    const choker = new Choker({ slots: 2, random: () => 0 });
    const peers = ['a', 'b', 'c', 'd'].map((id) => peer(id, { downloadRate: 10 }));
    choker.rechoke(peers, 0);
    expect(choker.rechoke(peers, 10_000)).toEqual([]);
    expect(choker.rechoke([...peers].reverse(), 20_000)).toEqual([]);
  });

  it('forgets a peer that is gone without a message', () => {
    const choker = new Choker({ slots: 1, random: () => 0 });
    choker.rechoke([peer('a', { downloadRate: 9 }), peer('b')], 0);
    expect(choker.isUnchoked('a')).toBe(true);
    expect(choker.rechoke([peer('b')], 10_000)).toEqual([]);
    expect(choker.isUnchoked('a')).toBe(false);
    expect(choker.unchoked).toEqual(new Set(['b']));
  });
});

describe('Choker: round robin while seeding', () => {
  it('rotates slots so every interested peer is served in turn', () => {
    const choker = new Choker({ slots: 1, seedingMode: 'round-robin', optimisticIntervalMs: 30_000, newPeerMs: 0, random: () => 0 });
    const peers = ['a', 'b', 'c', 'd'].map((id) => peer(id, { connectedAt: 0 }));
    const served = new Set<string>();
    for (let t = 0; t <= 240_000; t += 10_000) {
      choker.rechoke(peers, t, { seeding: true });
      for (const id of choker.unchoked) served.add(id);
    }
    expect(served).toEqual(new Set(['a', 'b', 'c', 'd']));
  });
});

describe('Choker: optimistic unchoke', () => {
  it('keeps the optimistic peer for 30 s, then rotates to another', () => {
    const choker = new Choker({ slots: 0, random: seeded(7) });
    const peers = ['a', 'b', 'c'].map((id) => peer(id));
    choker.rechoke(peers, 0);
    const first = choker.optimistic;
    expect(first).toBeDefined();
    choker.rechoke(peers, 10_000);
    choker.rechoke(peers, 20_000);
    expect(choker.optimistic).toBe(first);
    const actions = choker.rechoke(peers, 30_000);
    expect(choker.optimistic).not.toBe(first);
    expect(actions).toEqual(expect.arrayContaining([{ type: 'choke', peer: first }, { type: 'unchoke', peer: choker.optimistic }]));
  });

  it('replaces an optimistic peer that leaves or loses interest at once', () => {
    const choker = new Choker({ slots: 0, random: () => 0 });
    choker.rechoke([peer('a'), peer('b')], 0);
    expect(choker.optimistic).toBe('a');
    choker.rechoke([peer('a', { interested: false }), peer('b')], 1000);
    expect(choker.optimistic).toBe('b');
  });

  it('draws newly connected peers three times as often', () => {
    const random = seeded(42);
    let newWins = 0;
    const draws = 2000;
    for (let i = 0; i < draws; i++) {
      const choker = new Choker({ slots: 0, random });
      choker.rechoke([peer('o1'), peer('o2'), peer('o3'), peer('new', { connectedAt: -5_000 })], 0);
      if (choker.optimistic === 'new') newWins++;
    }
    // weights 1, 1, 1, 3: the new peer wins half the draws (a quarter without the weight)
    expect(newWins / draws).toBeGreaterThan(0.45);
    expect(newWins / draws).toBeLessThan(0.55);
  });

  it('is due every 10 s', () => {
    const choker = new Choker();
    expect(choker.isDue(0)).toBe(true);
    choker.rechoke([], 0);
    expect(choker.isDue(9_999)).toBe(false);
    expect(choker.isDue(10_000)).toBe(true);
    expect(choker.nextRechokeAt).toBe(10_000);
  });
});

describe('Choker properties (fast-check)', () => {
  it('unchokes at most slots + 1 interested peers, a snubbed one only as the optimistic, and reports every change', () => {
    const peerArb = fc.record({
      interested: fc.boolean(),
      downloadRate: fc.nat(1000),
      uploadRate: fc.nat(1000),
      snubbed: fc.boolean(),
      connectedAt: fc.integer({ min: -100_000, max: 0 }),
    });
    const round = fc.array(fc.option(peerArb, { nil: undefined }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(fc.nat(5), fc.boolean(), fc.array(round, { minLength: 1, maxLength: 12 }), fc.nat(), (slots, seeding, rounds, seed) => {
        const choker = new Choker({ slots, random: seeded(seed), seedingMode: seed % 2 === 0 ? 'fastest-upload' : 'round-robin' });
        let before = new Set<string>();
        rounds.forEach((peers, r) => {
          const present = peers.flatMap((p, i) => (p === undefined ? [] : [{ id: `p${i}`, ...p }]));
          const actions = choker.rechoke(present, r * 10_000, { seeding });
          const after = new Set(choker.unchoked);
          expect(after.size).toBeLessThanOrEqual(slots + 1);
          for (const id of after) {
            const p = present.find((x) => x.id === id)!;
            expect(p.interested).toBe(true);
            if (p.snubbed) expect(choker.optimistic).toBe(id);
          }
          // The actions are exactly the difference between before and after, among present peers.
          const ids = new Set(present.map((p) => p.id));
          const expected = [...ids].filter((id) => before.has(id) !== after.has(id)).sort();
          expect(actions.map((a) => a.peer).sort()).toEqual(expected);
          for (const a of actions) expect(a.type === 'unchoke').toBe(after.has(a.peer));
          before = after;
        });
      }),
      { numRuns: 300 },
    );
  });
});
