import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeAnnounceResponse,
  encodeConnectResponse,
  encodeErrorResponse,
  encodeScrapeResponse,
  type TrackerError,
  UdpTrackerClient,
  type AnnounceRequest,
  type UdpRequest,
  type UdpTrackerClientOptions,
} from '../../src/index.js';
import { fakeTracker, type FakeTracker, type Reply } from '../fake-tracker.js';

const request: AnnounceRequest = { infoHash: new Uint8Array(20).fill(7), peerId: new Uint8Array(20).fill(8), port: 6881, uploaded: 0, downloaded: 0, left: 5, event: 'started' };

let trackers: FakeTracker[] = [];
let clients: UdpTrackerClient[] = [];
afterEach(async () => {
  await Promise.all([...trackers.map((t) => t.close()), ...clients.map((c) => c.close())]);
  trackers = [];
  clients = [];
});

async function tracker(host?: string): Promise<FakeTracker> {
  const t = await fakeTracker(host);
  trackers.push(t);
  return t;
}

// A resend base long enough that a busy CI machine never resends by accident; the tests of
// resending pass a short one of their own.
function client(options: UdpTrackerClientOptions = {}): UdpTrackerClient {
  const c = new UdpTrackerClient({ retransmitBaseMs: 2000, maxRetransmits: 3, ...options });
  clients.push(c);
  return c;
}

/** A well-behaved tracker: connection id 42, one IPv4 peer (or IPv6 on an IPv6 socket). */
function answer(family: 4 | 6 = 4) {
  return (r: UdpRequest, reply: Reply) => {
    if (r.action === 'connect') reply(encodeConnectResponse(r.transactionId, 42n));
    else if (r.action === 'announce') reply(encodeAnnounceResponse(r.transactionId, { interval: 300, incomplete: 2, complete: 1, peers: [{ host: family === 4 ? '127.0.0.9' : '::9', port: 9000 }] }, family));
    else reply(encodeScrapeResponse(r.transactionId, r.infoHashes.map((h) => ({ complete: h[0]!, downloaded: 1, incomplete: 2 }))));
  };
}

async function rejection(promise: Promise<unknown>): Promise<TrackerError> {
  try {
    await promise;
  } catch (error) {
    return error as TrackerError;
  }
  throw new Error('expected a rejection');
}

describe('UdpTrackerClient (BEP 15)', () => {
  it('connects, then announces with the connection id it got', async () => {
    const t = await tracker();
    t.handle = answer();
    const response = await client().announce(t.url, request);
    expect(response).toEqual({ interval: 300, complete: 1, incomplete: 2, peers: [{ host: '127.0.0.9', port: 9000 }] });
    const [connect, announce] = t.received.map((r) => r.request);
    expect(connect?.action).toBe('connect');
    expect(announce).toMatchObject({ action: 'announce', connectionId: 42n, port: 6881, left: 5n, event: 'started', numwant: -1 });
  });

  it('reads 18-byte IPv6 peers when it talks over IPv6', async () => {
    const t = await tracker('::1');
    t.handle = answer(6);
    expect((await client().announce(t.url, request)).peers).toEqual([{ host: '::9', port: 9000 }]);
  });

  it('reuses a connection id for its minute, then connects again', async () => {
    let now = 0;
    const t = await tracker();
    t.handle = answer();
    const c = client({ now: () => now });
    await c.announce(t.url, request);
    now = 59_999;
    await c.scrape(t.url, [request.infoHash]);
    expect(t.received.map((r) => r.request.action)).toEqual(['connect', 'announce', 'scrape']);
    now = 60_000;
    await c.announce(t.url, request);
    expect(t.received.map((r) => r.request.action)).toEqual(['connect', 'announce', 'scrape', 'connect', 'announce']);
  });

  it('retransmits on the 15 * 2^n schedule (base shortened) and takes the late reply', async () => {
    const t = await tracker();
    const base = 60;
    t.handle = (r, reply, index) => {
      if (index < 2) return; // drop the first two connects
      answer()(r, reply);
    };
    const response = await client({ retransmitBaseMs: base }).announce(t.url, request);
    expect(response.interval).toBe(300);
    const at = t.received.map((r) => r.at);
    expect(t.received.map((r) => r.request.action)).toEqual(['connect', 'connect', 'connect', 'announce']);
    // Gaps of base * 2^0 and base * 2^1: timers never fire early; the upper bounds leave
    // room for a busy machine.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(base - 5);
    expect(at[1]! - at[0]!).toBeLessThan(base + 200);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(2 * base - 5);
    expect(at[2]! - at[1]!).toBeLessThan(2 * base + 200);
    // All copies of one request carry one transaction id.
    expect(new Set(t.received.slice(0, 3).map((r) => r.request.transactionId)).size).toBe(1);
  });

  it('gives up after the last retransmission with TRACKER_TIMEOUT, in bounded time', async () => {
    const t = await tracker();
    const started = performance.now();
    const error = await rejection(client({ retransmitBaseMs: 30, maxRetransmits: 2 }).announce(t.url, request));
    expect([error.code, error.retryable, error.url]).toEqual(['TRACKER_TIMEOUT', true, t.url]);
    expect(t.received).toHaveLength(3);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(30 + 60 + 120 - 10);
    expect(elapsed).toBeLessThan(2000);
  });

  it('ignores a reply with the wrong transaction id, then takes the right one', async () => {
    const t = await tracker();
    t.handle = (r, reply) => {
      if (r.action === 'connect') {
        reply(encodeConnectResponse((r.transactionId + 1) >>> 0, 666n));
        setTimeout(() => reply(encodeConnectResponse(r.transactionId, 42n)), 10);
      } else answer()(r, reply);
    };
    await client({ retransmitBaseMs: 1000 }).announce(t.url, request);
    expect(t.received[1]?.request).toMatchObject({ action: 'announce', connectionId: 42n });
    expect(t.received).toHaveLength(2);
  });

  it('times out when every reply has the wrong transaction id', async () => {
    const t = await tracker();
    t.handle = (r, reply) => reply(encodeConnectResponse((r.transactionId ^ 0x5555) >>> 0, 1n));
    expect((await rejection(client({ retransmitBaseMs: 20, maxRetransmits: 2 }).announce(t.url, request))).code).toBe('TRACKER_TIMEOUT');
    expect(t.received).toHaveLength(3);
  });

  it('ignores a reply with the right transaction id from another address', async () => {
    const t = await tracker();
    t.handle = (r, reply) => {
      if (r.action === 'connect') reply(encodeConnectResponse(r.transactionId, 666n), t.spoofer);
      answer()(r, reply);
    };
    await client({ retransmitBaseMs: 1000 }).announce(t.url, request);
    expect(t.received[1]?.request).toMatchObject({ connectionId: 42n });
  });

  it('passes on an error reply as TRACKER_FAILURE and forgets the connection id', async () => {
    const t = await tracker();
    t.handle = (r, reply, index) => {
      if (index === 1) reply(encodeErrorResponse(r.transactionId, 'Connection ID missmatch.'));
      else answer()(r, reply);
    };
    const c = client();
    const error = await rejection(c.announce(t.url, request));
    expect([error.code, error.failureReason, error.url]).toEqual(['TRACKER_FAILURE', 'Connection ID missmatch.', t.url]);
    await c.announce(t.url, request);
    expect(t.received.map((r) => r.request.action)).toEqual(['connect', 'announce', 'connect', 'announce']);
  });

  it('connects again when the id ages out between retransmissions', async () => {
    let now = 0;
    const t = await tracker();
    t.handle = (r, reply, index) => {
      if (index === 1) {
        now += 61_000; // the first announce is lost while the minute passes
        return;
      }
      answer()(r, reply);
    };
    await client({ now: () => now }).announce(t.url, request);
    expect(t.received.map((r) => r.request.action)).toEqual(['connect', 'announce', 'connect', 'announce']);
  });

  it('refuses a peer list that is not whole entries with TRACKER_BAD_PEERS', async () => {
    const t = await tracker();
    t.handle = (r, reply) => {
      if (r.action === 'connect') return answer()(r, reply);
      const good = encodeAnnounceResponse(r.transactionId, { interval: 1, incomplete: 0, complete: 0, peers: [{ host: '1.2.3.4', port: 5 }] }, 4);
      reply(Uint8Array.from([...good, 0xff]));
    };
    expect((await rejection(client().announce(t.url, request))).code).toBe('TRACKER_BAD_PEERS');
  });

  it('scrapes several hashes, in packets of at most 74', async () => {
    const t = await tracker();
    t.handle = answer();
    const hashes = Array.from({ length: 80 }, (_, i) => new Uint8Array(20).fill(i));
    const { files } = await client().scrape(t.url, hashes);
    expect(files).toHaveLength(80);
    expect(files[79]).toEqual({ infoHash: hashes[79], complete: 79, downloaded: 1, incomplete: 2 });
    expect(t.received.filter((r) => r.request.action === 'scrape').map((r) => (r.request as { infoHashes: unknown[] }).infoHashes.length)).toEqual([74, 6]);
  });

  it('rejects with the abort reason at once when aborted', async () => {
    const t = await tracker();
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = client({ retransmitBaseMs: 10_000 }).announce(t.url, request, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    expect(await rejection(pending)).toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('honours an overall timeoutMs, and close() ends requests under way with TRACKER_CLOSED', async () => {
    const t = await tracker();
    expect((await rejection(client({ retransmitBaseMs: 10_000, timeoutMs: 100 }).announce(t.url, request))).code).toBe('TRACKER_TIMEOUT');
    const c = client({ retransmitBaseMs: 10_000 });
    const pending = c.announce(t.url, request);
    setTimeout(() => void c.close(), 30);
    expect((await rejection(pending)).code).toBe('TRACKER_CLOSED');
  });

  it('refuses bad URLs and unresolvable names', async () => {
    for (const url of ['http://127.0.0.1/announce', 'udp://127.0.0.1', 'nonsense']) expect((await rejection(client().announce(url, request))).code).toBe('TRACKER_BAD_URL');
    const lookup = () => Promise.reject(new Error('ENOTFOUND'));
    expect((await rejection(client({ lookup }).announce('udp://tracker.invalid:80', request))).code).toBe('TRACKER_NETWORK');
  });

  it('resolves names with the lookup it is given', async () => {
    const t = await tracker();
    t.handle = answer();
    const port = new URL(t.url).port;
    const response = await client({ lookup: () => Promise.resolve({ address: '127.0.0.1', family: 4 }) }).announce(`udp://tracker.test:${port}/announce`, request);
    expect(response.peers).toHaveLength(1);
  });
});
