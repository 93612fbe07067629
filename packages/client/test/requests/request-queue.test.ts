import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestQueue } from '../../src/requests/request-queue.js';

const BLOCK = 16 * 1024;
const block = (piece: number, index = 0) => ({ piece, begin: index * BLOCK, length: BLOCK });
const blocks = (n: number, piece = 0) => Array.from({ length: n }, (_, i) => block(piece, i));

function unchoked(options: ConstructorParameters<typeof RequestQueue>[0] = {}): RequestQueue {
  const queue = new RequestQueue(options);
  queue.unchoke();
  return queue;
}

describe('RequestQueue: depth', () => {
  it.each([
    { name: 'no rate yet: the floor of 2', rate: 0, reqq: undefined, depth: 2 },
    { name: '1 MiB/s over 3 s: 192 blocks', rate: 1024 * 1024, reqq: undefined, depth: 192 },
    { name: 'a partial block rounds up', rate: 6000, reqq: undefined, depth: 2 },
    { name: '100 KiB/s: 19 blocks', rate: 100 * 1024, reqq: undefined, depth: 19 },
    { name: 'held to the default reqq of 250', rate: 100 * 1024 * 1024, reqq: undefined, depth: 250 },
    { name: 'held to the peer reqq', rate: 100 * 1024 * 1024, reqq: 64, depth: 64 },
    { name: 'a peer reqq of 1 beats the floor', rate: 0, reqq: 1, depth: 1 },
    { name: 'a huge reqq is held to 2000', rate: 1e12, reqq: 1_000_000, depth: 2000 },
  ])('$name', ({ rate, reqq, depth }) => {
    const queue = new RequestQueue(reqq === undefined ? {} : { peerQueueLimit: reqq });
    expect(queue.depth(rate)).toBe(depth);
  });

  it('grows with the rate and never leaves [min(2, reqq), reqq] (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e10, noNaN: true }), fc.double({ min: 0, max: 1e10, noNaN: true }), fc.integer({ min: 1, max: 5000 }), (r1, r2, reqq) => {
        const queue = new RequestQueue({ peerQueueLimit: reqq });
        const [lo, hi] = r1 < r2 ? [r1, r2] : [r2, r1];
        expect(queue.depth(lo)).toBeLessThanOrEqual(queue.depth(hi));
        expect(queue.depth(hi)).toBeLessThanOrEqual(Math.min(reqq, 2000));
        expect(queue.depth(lo)).toBeGreaterThanOrEqual(Math.min(2, reqq));
      }),
    );
  });

  it('has no room while choked, and room for the missing depth when unchoked', () => {
    const queue = new RequestQueue();
    expect(queue.choked).toBe(true);
    expect(queue.room(1024 * 1024)).toBe(0);
    queue.unchoke();
    queue.add(blocks(10), 0);
    expect(queue.room(1024 * 1024)).toBe(182);
  });

  it('with the fast extension, has room while choked (for allowed-fast pieces)', () => {
    const queue = new RequestQueue({ fast: true });
    expect(queue.room(0)).toBe(2);
  });

  it('refuses a reqq that is not a positive integer', () => {
    expect(() => new RequestQueue({ peerQueueLimit: 0 })).toThrow(RangeError);
    expect(() => new RequestQueue().setPeerQueueLimit(2.5)).toThrow(RangeError);
  });
});

describe('RequestQueue: requests and answers', () => {
  it('tracks outstanding requests oldest first and skips one sent twice', () => {
    const queue = unchoked();
    expect(queue.add([block(0), block(1)], 0)).toHaveLength(2);
    expect(queue.add([block(1), block(2)], 5)).toEqual([block(2)]);
    expect(queue.list()).toEqual([block(0), block(1), block(2)]);
  });

  it.each([
    { name: 'a requested block', arrive: block(1), requested: true, left: [block(0), block(2)] },
    { name: 'an unrequested block', arrive: block(9), requested: false, left: [block(0), block(1), block(2)] },
  ])('receives $name', ({ arrive, requested, left }) => {
    const queue = unchoked();
    queue.add([block(0), block(1), block(2)], 0);
    expect(queue.received(arrive, 10)).toBe(requested);
    expect(queue.list()).toEqual(left);
  });

  it('forgets a cancelled request (endgame) and a rejected one (BEP 6)', () => {
    const queue = unchoked({ fast: true });
    queue.add([block(0), block(1)], 0);
    expect(queue.cancel(block(0))).toBe(true);
    expect(queue.rejected(block(1))).toBe(true);
    expect(queue.rejected(block(1))).toBe(false);
    expect(queue.size).toBe(0);
  });

  it.each([
    { name: 'without the fast extension, a choke drops every request (BEP 3)', fast: false, dropped: 2, left: 0 },
    { name: 'with it, requests stand until served or rejected (BEP 6)', fast: true, dropped: 0, left: 2 },
  ])('$name', ({ fast, dropped, left }) => {
    const queue = unchoked({ fast });
    queue.add([block(0), block(1)], 0);
    expect(queue.choke()).toHaveLength(dropped);
    expect(queue.size).toBe(left);
    expect(queue.choked).toBe(true);
  });

  it('clear returns everything (the connection closed)', () => {
    const queue = unchoked();
    queue.add(blocks(3), 0);
    expect(queue.clear()).toEqual(blocks(3));
    expect(queue.size).toBe(0);
  });
});

describe('RequestQueue: timeouts and snubbing', () => {
  // Each row: a timeline of events, then a tick; what timed out and whether the peer snubs us.
  type Event = ['add', number, number[]] | ['receive', number, number] | ['cancel', number] | ['tick', number];
  it.each<{ name: string; events: Event[]; tick: number; timedOut: number[]; snubbed: boolean }>([
    { name: 'nothing timed out before 30 s', events: [['add', 0, [0, 1]]], tick: 29_999, timedOut: [], snubbed: false },
    { name: 'all time out after 30 s of silence', events: [['add', 0, [0, 1]]], tick: 30_000, timedOut: [0, 1], snubbed: false },
    { name: 'blocks flowing keep a deep queue alive', events: [['add', 0, [0, 1, 2, 3]], ['receive', 20_000, 0], ['receive', 40_000, 1]], tick: 60_000, timedOut: [], snubbed: false },
    { name: 'silence after the last block counts from that block', events: [['add', 0, [0, 1, 2]], ['receive', 20_000, 0]], tick: 50_000, timedOut: [1, 2], snubbed: false },
    { name: 'a request sent late gets its own 30 s', events: [['add', 0, [0]], ['add', 25_000, [1]]], tick: 31_000, timedOut: [0], snubbed: false },
    { name: 'snubbed after 60 s without a block', events: [['add', 0, [0]]], tick: 60_000, timedOut: [0], snubbed: true },
    { name: 'timeouts do not reset the snub clock', events: [['add', 0, [0]], ['tick', 30_000], ['add', 35_000, [1]]], tick: 60_000, timedOut: [], snubbed: true },
    { name: 'not snubbed when we stopped asking', events: [['add', 0, [0]], ['cancel', 1000]], tick: 90_000, timedOut: [], snubbed: false },
  ])('$name', ({ events, tick, timedOut, snubbed }) => {
    const queue = unchoked();
    for (const event of events) {
      if (event[0] === 'add') queue.add(event[2].map((i) => block(i)), event[1]);
      else if (event[0] === 'receive') queue.received(block(event[2]), event[1]);
      else if (event[0] === 'tick') queue.tick(event[1]);
      else queue.cancel(block(0));
    }
    const result = queue.tick(tick);
    expect(result.timedOut.map((b) => b.piece)).toEqual(timedOut);
    expect(result.snubbed).toBe(snubbed);
    expect(queue.snubbed).toBe(snubbed);
  });

  it('a snubbed peer gets a queue of 1 until it sends a block', () => {
    const queue = unchoked();
    queue.add([block(0)], 0);
    queue.tick(60_000);
    expect(queue.depth(1024 * 1024)).toBe(1);
    queue.add([block(1)], 60_000);
    queue.received(block(1), 61_000);
    expect(queue.snubbed).toBe(false);
    expect(queue.depth(1024 * 1024)).toBe(192);
  });

  it('takes a request overtaken by many later ones as dropped (a seed over its limit drops silently)', () => {
    const queue = unchoked({ overtakeLimit: 3 });
    queue.add(blocks(6), 0);
    for (let i = 1; i <= 3; i++) queue.received(block(0, i), i * 10);
    expect(queue.tick(40).timedOut).toEqual([block(0, 0)]);
    expect(queue.list()).toEqual([block(0, 4), block(0, 5)]);
  });
});
