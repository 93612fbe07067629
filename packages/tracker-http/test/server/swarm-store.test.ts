import { describe, expect, it } from 'vitest';
import { SwarmStore, type SwarmAnnounce } from '../../src/server/swarm-store.js';
import { id20 } from '../helpers.js';

const hash = id20('swarm');
const v4 = new Set<4 | 6>([4]);
const both = new Set<4 | 6>([4, 6]);

function store(overrides: Partial<ConstructorParameters<typeof SwarmStore>[0]> = {}): SwarmStore {
  return new SwarmStore({ peerTtlMs: 1000, maxSwarms: 10, maxPeersPerSwarm: 10, random: () => 0.5, ...overrides });
}

function peer(name: string, port: number, left: number, extra: Partial<SwarmAnnounce> = {}): SwarmAnnounce {
  return { infoHash: hash, peerId: id20(name), host: '127.0.0.1', port, left, uploaded: 0, downloaded: 0, event: undefined, numwant: 50, ...extra };
}

function ports(result: ReturnType<SwarmStore['announce']>): number[] {
  if (typeof result === 'string') throw new Error(result);
  return result.peers.map((p) => p.port).sort((a, b) => a - b);
}

describe('SwarmStore', () => {
  it('gives each peer the others, never itself', () => {
    const s = store();
    expect(ports(s.announce(peer('a', 1, 10), 0, v4))).toEqual([]);
    expect(ports(s.announce(peer('b', 2, 10), 0, v4))).toEqual([1]);
    expect(ports(s.announce(peer('c', 3, 10), 0, v4))).toEqual([1, 2]);
    expect(s.counts(hash, 0)).toEqual({ complete: 0, incomplete: 3, downloaded: 0 });
  });

  it('scenario: started, completed (counted once), stopped, expiry', () => {
    const s = store();
    const steps: [string, SwarmAnnounce, number, { complete: number; incomplete: number; downloaded: number }][] = [
      ['a starts leeching', peer('a', 1, 10, { event: 'started' }), 0, { complete: 0, incomplete: 1, downloaded: 0 }],
      ['b starts seeding', peer('b', 2, 0, { event: 'started' }), 100, { complete: 1, incomplete: 1, downloaded: 0 }],
      ['a completes', peer('a', 1, 0, { event: 'completed' }), 200, { complete: 2, incomplete: 0, downloaded: 1 }],
      ['a says completed again', peer('a', 1, 0, { event: 'completed' }), 300, { complete: 2, incomplete: 0, downloaded: 1 }],
      ['b stops', peer('b', 2, 0, { event: 'stopped' }), 400, { complete: 1, incomplete: 0, downloaded: 1 }],
      ['c arrives after a went silent past its ttl', peer('c', 3, 5), 1301, { complete: 0, incomplete: 1, downloaded: 1 }],
    ];
    for (const [what, input, now, expected] of steps) {
      const result = s.announce(input, now, v4);
      expect(typeof result === 'string' ? result : { complete: result.complete, incomplete: result.incomplete, downloaded: result.downloaded }, what).toEqual(expected);
    }
  });

  it('sends a seed only leechers', () => {
    const s = store();
    s.announce(peer('seed1', 1, 0), 0, v4);
    s.announce(peer('leech', 2, 5), 0, v4);
    expect(ports(s.announce(peer('seed2', 3, 0), 0, v4))).toEqual([2]);
    expect(ports(s.announce(peer('leech2', 4, 5), 0, v4))).toEqual([1, 2, 3]);
  });

  it('samples at most numwant peers, each at most once', () => {
    let x = 0;
    const s = store({ maxPeersPerSwarm: 100, random: () => (x = (x * 9301 + 49297) % 233280) / 233280 });
    for (let i = 1; i <= 60; i++) s.announce(peer(`p${i}`, i, 1), 0, v4);
    const got = ports(s.announce(peer('me', 1000, 1, { numwant: 20 }), 0, v4));
    expect(got).toHaveLength(20);
    expect(new Set(got).size).toBe(20);
  });

  it('keeps address families apart: IPv6 peers go to those who can use them', () => {
    const s = store();
    s.announce(peer('six', 1, 1, { host: '::1' }), 0, both);
    s.announce(peer('four', 2, 1), 0, v4);
    expect(ports(s.announce(peer('me4', 3, 1), 0, v4))).toEqual([2]);
    const r = s.announce(peer('me6', 4, 1, { host: '2001:db8::5' }), 0, both);
    if (typeof r === 'string') throw new Error(r);
    expect(r.peers.map((p) => [p.port, p.family, p.compact.length]).sort()).toEqual([[1, 6, 18], [2, 4, 6], [3, 4, 6]]);
  });

  it('lets nobody at another address replace or stop a peer by its id', () => {
    const s = store();
    s.announce(peer('a', 1, 1), 0, v4);
    s.announce(peer('a', 9, 1, { host: '10.0.0.9', event: 'stopped' }), 0, v4);
    expect(s.peers(hash, 0).map((p) => [p.host, p.port])).toEqual([['127.0.0.1', 1]]);
  });

  it('refuses past its limits, evicting an empty swarm first', () => {
    const s = store({ maxSwarms: 1, maxPeersPerSwarm: 2 });
    s.announce(peer('a', 1, 1), 0, v4);
    s.announce(peer('b', 2, 1), 0, v4);
    expect(s.announce(peer('c', 3, 1), 0, v4)).toBe('swarm is full');
    expect(s.announce(peer('a', 1, 0), 0, v4)).not.toBeTypeOf('string');
    expect(s.announce({ ...peer('x', 1, 1), infoHash: id20('other') }, 0, v4)).toBe('too many swarms');
    s.announce(peer('a', 1, 1, { event: 'stopped' }), 0, v4);
    s.announce(peer('b', 2, 1, { event: 'stopped' }), 0, v4);
    expect(s.announce({ ...peer('x', 1, 1), infoHash: id20('other') }, 0, v4)).not.toBeTypeOf('string');
    expect(s.size).toBe(1);
  });
});
