import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AVAILABILITY_CAP, PieceOrder, orderKey } from '../../src/picker/piece-order.js';

function contents(order: PieceOrder): number[] {
  return Array.from({ length: order.size }, (_, i) => order.at(i));
}

// The order is right when its pieces are exactly the members and each sits in its key's bucket.
function check(order: PieceOrder, keys: Map<number, number>): void {
  expect(order.size).toBe(keys.size);
  expect(new Set(contents(order))).toEqual(new Set(keys.keys()));
  for (const [piece, key] of keys) {
    expect(order.keyOf(piece)).toBe(key);
    const at = contents(order).indexOf(piece);
    expect(at).toBeGreaterThanOrEqual(order.bucketStart(key));
    expect(at).toBeLessThan(order.bucketEnd(key));
  }
}

describe('orderKey', () => {
  it.each([
    { a: [7, 0], b: [7, 1], why: 'rarer first within a priority' },
    { a: [7, 50], b: [6, 0], why: 'higher priority before any rarity' },
    { a: [1, 0], b: [1, AVAILABILITY_CAP + 5], why: 'rarity still counts at the lowest priority' },
  ])('$why', ({ a, b }) => {
    expect(orderKey(a[0]!, a[1]!)).toBeLessThan(orderKey(b[0]!, b[1]!));
  });

  it('treats availabilities at the cap and above as equal', () => {
    expect(orderKey(4, AVAILABILITY_CAP - 1)).toBe(orderKey(4, AVAILABILITY_CAP + 100));
  });
});

describe('PieceOrder (fast-check)', () => {
  it('keeps every member in its bucket through any sequence of key changes and removals', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('key' as const), piece: fc.nat(29), key: fc.nat(PieceOrder.keyCount - 1) }),
      fc.record({ kind: fc.constant('step' as const), piece: fc.nat(29), up: fc.boolean() }),
      fc.record({ kind: fc.constant('remove' as const), piece: fc.nat(29) }),
    );
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat(40), { nil: undefined }), { minLength: 30, maxLength: 30 }), fc.array(op, { maxLength: 60 }), (initial, ops) => {
        const order = new PieceOrder(30);
        const keys = new Map<number, number>();
        initial.forEach((k, piece) => {
          if (k !== undefined) keys.set(piece, k);
        });
        order.rebuild((piece) => keys.get(piece) ?? -1);
        check(order, keys);
        for (const o of ops) {
          if (!keys.has(o.piece)) continue;
          if (o.kind === 'remove') {
            order.remove(o.piece);
            keys.delete(o.piece);
          } else {
            const key = o.kind === 'key' ? o.key : Math.min(PieceOrder.keyCount - 1, Math.max(0, keys.get(o.piece)! + (o.up ? 1 : -1)));
            order.setKey(o.piece, key);
            keys.set(o.piece, key);
          }
        }
        check(order, keys);
      }),
      { numRuns: 200 },
    );
  });
});
