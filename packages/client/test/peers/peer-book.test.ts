import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeerBook, type PeerBookOptions } from '../../src/peers/peer-book.js';

function book(options: PeerBookOptions = {}): PeerBook {
  return new PeerBook({ random: () => 0.5, ...options });
}

describe('PeerBook: learning of peers', () => {
  it.each([
    { name: 'a new peer', setup: (_: PeerBook) => {}, host: '1.2.3.4', port: 6881, result: 'added' },
    { name: 'the same peer from another source', setup: (b: PeerBook) => b.add('1.2.3.4', 6881, 'tracker'), host: '1.2.3.4', port: 6881, result: 'known' },
    { name: 'the same peer spelled another way', setup: (b: PeerBook) => b.add('::1', 6881, 'tracker'), host: '[0::1]', port: 6881, result: 'known' },
    { name: 'another port of a known host', setup: (b: PeerBook) => b.add('1.2.3.4', 6881, 'tracker'), host: '1.2.3.4', port: 6882, result: 'added' },
    { name: 'our own address', setup: (b: PeerBook) => b.addOurAddress('127.0.0.1:6881'), host: '127.0.0.1', port: 6881, result: 'self' },
    { name: 'a banned host', setup: (b: PeerBook) => b.ban('1.2.3.4'), host: '1.2.3.4', port: 9999, result: 'banned' },
    { name: 'port 0', setup: (_: PeerBook) => {}, host: '1.2.3.4', port: 0, result: 'invalid' },
    { name: 'a host that is no host', setup: (_: PeerBook) => {}, host: 'a b', port: 1, result: 'invalid' },
  ])('$name: $result', ({ setup, host, port, result }) => {
    const b = book();
    setup(b);
    expect(b.add(host, port, 'pex')).toBe(result);
  });

  it('remembers every source of a peer', () => {
    const b = book();
    b.add('1.2.3.4', 1, 'tracker');
    b.add('1.2.3.4', 1, 'pex');
    expect(b.get('1.2.3.4:1')?.sources).toEqual(['tracker', 'pex']);
    expect(b.size).toBe(1);
  });

  it('stays within maxPeers: failed peers make room, fresh ones only for manual or incoming peers', () => {
    const b = book({ maxPeers: 2 });
    b.add('1.1.1.1', 1, 'tracker');
    b.add('2.2.2.2', 1, 'tracker');
    expect(b.add('3.3.3.3', 1, 'pex')).toBe('full');
    b.connecting('2.2.2.2:1');
    b.failed('2.2.2.2:1', 0);
    expect(b.add('3.3.3.3', 1, 'pex')).toBe('added');
    expect(b.get('2.2.2.2:1')).toBeUndefined();
    expect(b.add('4.4.4.4', 1, 'manual')).toBe('added');
    expect(b.size).toBe(2);
  });
});

describe('PeerBook: dialling', () => {
  it('offers idle peers, manual ones first, then the fewest failures', () => {
    const b = book({ backoffBaseMs: 1000 });
    b.add('1.1.1.1', 1, 'tracker');
    b.add('2.2.2.2', 1, 'tracker');
    b.add('3.3.3.3', 1, 'manual');
    b.connecting('1.1.1.1:1');
    b.failed('1.1.1.1:1', 0);
    expect(b.candidates(10_000, 10).map((p) => p.address)).toEqual(['3.3.3.3:1', '2.2.2.2:1', '1.1.1.1:1']);
    expect(b.candidates(10_000, 1)).toHaveLength(1);
  });

  it('does not offer a peer being dialled, connected, waiting out a backoff, or known only from an incoming connection', () => {
    const b = book({ backoffBaseMs: 1000 });
    for (const host of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) b.add(host, 1, 'tracker');
    b.add('4.4.4.4', 50_000, 'incoming');
    b.connecting('1.1.1.1:1');
    b.connecting('2.2.2.2:1');
    expect(b.connected('2.2.2.2:1', 'peer-2')).toBe('ok');
    b.connecting('3.3.3.3:1');
    b.failed('3.3.3.3:1', 0);
    expect(b.candidates(100, 10)).toEqual([]);
    expect(b.nextRetryAt(100)).toBeGreaterThan(100);
    expect(b.connectingCount).toBe(1);
    expect(b.connectedCount).toBe(1);
    b.add('4.4.4.4', 50_000, 'pex');
    expect(b.candidates(100, 10).map((p) => p.address)).toEqual(['4.4.4.4:50000']);
  });

  it('backs off exponentially with jitter, up to a maximum, and forgets after maxFailures', () => {
    const draws = [0, 1, 0.5, 0.5, 0.5];
    const b = new PeerBook({ random: () => draws.shift() ?? 0.5, backoffBaseMs: 1000, backoffMaxMs: 5000, maxFailures: 5 });
    b.add('1.1.1.1', 1, 'tracker');
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      b.connecting('1.1.1.1:1');
      const at = b.failed('1.1.1.1:1', 0);
      waits.push(at);
    }
    // 1000 x 0.75, 2000 x 1.25, 4000 x 1, min(8000, 5000), forgotten
    expect(waits).toEqual([750, 2500, 4000, 5000, undefined]);
    expect(b.size).toBe(0);
  });

  it('never forgets a manual peer, and a good connection resets its failures', () => {
    const b = book({ maxFailures: 2, backoffBaseMs: 1000 });
    b.add('1.1.1.1', 1, 'manual');
    for (let i = 0; i < 3; i++) {
      b.connecting('1.1.1.1:1');
      b.failed('1.1.1.1:1', 0);
    }
    expect(b.get('1.1.1.1:1')?.failures).toBe(3);
    b.connecting('1.1.1.1:1');
    b.connected('1.1.1.1:1', 'x');
    expect(b.get('1.1.1.1:1')).toMatchObject({ failures: 0, state: 'connected', peerId: 'x' });
    b.disconnected('1.1.1.1:1', 50_000);
    expect(b.get('1.1.1.1:1')).toMatchObject({ state: 'idle', retryAt: 51_000 });
  });

  it('retryNow forgets the failures and backoff of an idle peer, but not of a banned host', () => {
    const b = book({ backoffBaseMs: 1000 });
    b.add('1.1.1.1', 1, 'manual');
    b.add('2.2.2.2', 1, 'manual');
    for (const address of ['1.1.1.1:1', '2.2.2.2:1']) {
      b.connecting(address);
      b.ban('2.2.2.2');
      b.failed(address, 0);
    }
    expect(b.candidates(0, 10)).toEqual([]);
    expect(b.retryNow('1.1.1.1:1')).toBe(true);
    expect(b.retryNow('2.2.2.2:1')).toBe(false);
    expect(b.candidates(0, 10).map((r) => r.address)).toEqual(['1.1.1.1:1']);
    expect(b.get('1.1.1.1:1')?.failures).toBe(0);
    b.connecting('1.1.1.1:1');
    expect(b.retryNow('1.1.1.1:1')).toBe(false);
  });

  it.each([
    { name: 'our own peer id', peerId: 'me', result: 'self', kept: false },
    { name: 'a peer id already connected elsewhere', peerId: 'other', result: 'duplicate', kept: true },
    { name: 'a new peer id', peerId: 'new', result: 'ok', kept: true },
  ])('on a handshake with $name: $result', ({ peerId, result, kept }) => {
    const b = book({ ourPeerId: 'me' });
    b.add('9.9.9.9', 1, 'tracker');
    b.connecting('9.9.9.9:1');
    b.connected('9.9.9.9:1', 'other');
    b.add('1.1.1.1', 1, 'tracker');
    b.connecting('1.1.1.1:1');
    expect(b.connected('1.1.1.1:1', peerId)).toBe(result);
    expect(b.get('1.1.1.1:1') !== undefined).toBe(kept);
    if (result === 'self') expect(b.add('1.1.1.1', 1, 'pex')).toBe('self');
  });

  it('throws on a handshake for an address it never heard of', () => {
    expect(() => book().connected('1.1.1.1:1', 'x')).toThrow(RangeError);
  });
});

describe('PeerBook: strikes and bans', () => {
  it('bans a host after K strikes, on every port, and forgets its idle entries', () => {
    const b = book({ banAfterStrikes: 2 });
    b.add('6.6.6.6', 1, 'tracker');
    b.add('6.6.6.6', 2, 'tracker');
    b.connecting('6.6.6.6:2');
    b.connected('6.6.6.6:2', 'bad');
    expect(b.strike('6.6.6.6')).toEqual({ strikes: 1, banned: false });
    expect(b.strike('6.6.6.6')).toEqual({ strikes: 2, banned: true });
    expect(b.isBanned('6.6.6.6')).toBe(true);
    expect(b.addressesOf('6.6.6.6')).toEqual(['6.6.6.6:2']); // still connected: the caller closes it
    b.disconnected('6.6.6.6:2', 0);
    expect(b.addressesOf('6.6.6.6')).toEqual([]);
    expect(b.add('6.6.6.6', 3, 'pex')).toBe('banned');
  });

  it('refuses a handshake from a host banned while we dialled it', () => {
    const b = book();
    b.add('6.6.6.6', 1, 'tracker');
    b.connecting('6.6.6.6:1');
    b.ban('6.6.6.6');
    expect(b.connected('6.6.6.6:1', 'x')).toBe('banned');
    b.unban('6.6.6.6');
    expect(b.add('6.6.6.6', 1, 'pex')).toBe('added');
  });
});

describe('PeerBook properties (fast-check)', () => {
  it('never offers a banned, busy, backing-off or self address, and never holds more than maxPeers', () => {
    const host = fc.constantFrom('1.1.1.1', '2.2.2.2', '3.3.3.3', '::1', '0:0::1', '6.6.6.6');
    const port = fc.constantFrom(1, 2);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), host, port, source: fc.constantFrom('tracker' as const, 'pex' as const, 'manual' as const, 'incoming' as const) }),
      fc.record({ kind: fc.constant('connecting' as const), host, port }),
      fc.record({ kind: fc.constant('connected' as const), host, port, peerId: fc.constantFrom('a', 'b', 'me') }),
      fc.record({ kind: fc.constant('failed' as const), host, port, dt: fc.nat(60_000) }),
      fc.record({ kind: fc.constant('disconnected' as const), host, port }),
      fc.record({ kind: fc.constant('strike' as const), host }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60, size: 'max' }), fc.nat(), (ops, seed) => {
        let s = seed;
        const b = new PeerBook({ random: () => ((s = (s * 48271) % 2147483647) + 1) / 2147483648, maxPeers: 5, ourPeerId: 'me', ourAddresses: ['2.2.2.2:2'], banAfterStrikes: 2 });
        let now = 0;
        for (const o of ops) {
          const address = o.kind === 'strike' ? '' : o.host.includes(':') ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
          switch (o.kind) {
            case 'add':
              b.add(o.host, o.port, o.source);
              break;
            case 'connecting':
              b.connecting(address);
              break;
            case 'connected':
              if (b.get(address)?.state === 'connecting') b.connected(address, o.peerId);
              break;
            case 'failed':
              now += o.dt;
              b.failed(address, now);
              break;
            case 'disconnected':
              b.disconnected(address, now);
              break;
            case 'strike':
              b.strike(o.host);
              break;
          }
          expect(b.size).toBeLessThanOrEqual(5);
          const connectedIds = b.all().filter((p) => p.state === 'connected').map((p) => p.peerId);
          expect(new Set(connectedIds).size).toBe(connectedIds.length);
          expect(connectedIds).not.toContain('me');
          for (const c of b.candidates(now, 10)) {
            expect(c.state).toBe('idle');
            expect(c.retryAt).toBeLessThanOrEqual(now);
            expect(b.isBanned(c.host)).toBe(false);
            expect(c.address).not.toBe('2.2.2.2:2');
            expect(c.sources.length > 1 || c.sources[0] !== 'incoming').toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
