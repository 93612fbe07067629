import { request as httpGetRaw } from 'node:http';
import { decode, isDictionary, text } from '@gtorr/bencode';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrackerServer, HttpTrackerClient, type AnnounceRequest, type TrackerServer } from '../../src/index.js';
import { id20, rejection } from '../helpers.js';

const hash = id20('movie');
const client = new HttpTrackerClient({ timeoutMs: 5000 });
let running: TrackerServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

async function start(options: Parameters<typeof createTrackerServer>[0] = {}, host = '127.0.0.1'): Promise<{ server: TrackerServer; url: string }> {
  const server = createTrackerServer(options);
  running.push(server);
  const { announceUrl } = await server.start({ port: 0, host });
  return { server, url: announceUrl };
}

function peer(name: string, port: number, left = 100, extra: Partial<AnnounceRequest> = {}): AnnounceRequest {
  return { infoHash: hash, peerId: id20(name), port, uploaded: 0, downloaded: 0, left, ...extra };
}

/** GETs a raw path and decodes the bencoded answer. */
function raw(url: string): Promise<{ status: number; body: Record<string, unknown> | string }> {
  return new Promise((resolve, reject) => {
    httpGetRaw(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        try {
          const value = decode(bytes);
          resolve({ status: res.statusCode ?? 0, body: isDictionary(value) ? value : 'not a dictionary' });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: bytes.toString('utf8') });
        }
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('createTrackerServer with HttpTrackerClient', () => {
  it('lets two announcing peers see each other, compact and as dictionaries', async () => {
    const { server, url } = await start({ interval: 120 });
    expect(server.address?.announceUrl).toBe(url);
    const first = await client.announce(url, peer('a', 6001, 100, { event: 'started' }));
    expect(first.peers).toEqual([]);
    expect([first.interval, first.minInterval]).toEqual([120, 60]);
    const second = await client.announce(url, peer('b', 6002, 0, { event: 'started' }));
    expect(second.peers).toEqual([{ host: '127.0.0.1', port: 6001 }]);
    expect([second.complete, second.incomplete]).toEqual([1, 1]);
    const again = await client.announce(url, peer('a', 6001, 100, { compact: false }));
    expect(again.peers).toEqual([{ host: '127.0.0.1', port: 6002, peerId: id20('b') }]);
    expect(server.swarm(hash).peers.map((p) => p.port).sort()).toEqual([6001, 6002]);
  });

  it('counts completed downloads, removes stopped peers, and scrapes several swarms', async () => {
    const { url } = await start();
    const other = id20('other');
    await client.announce(url, peer('a', 6001, 100, { event: 'started' }));
    await client.announce(url, peer('b', 6002, 100, { event: 'started' }));
    await client.announce(url, peer('a', 6001, 0, { event: 'completed' }));
    await client.announce(url, peer('b', 6002, 100, { event: 'stopped' }));
    await client.announce(url, { ...peer('c', 6003), infoHash: other });
    const { files, minRequestInterval } = await client.scrape(url, [hash, other, id20('unknown')]);
    expect(minRequestInterval).toBe(900);
    const byName = Object.fromEntries(files.map((f) => [Buffer.from(f.infoHash).toString('latin1').replace(/\.+$/, ''), [f.complete, f.incomplete, f.downloaded]]));
    expect(byName).toEqual({ movie: [1, 0, 1], other: [0, 1, 0], unknown: [0, 0, 0] });
  });

  it('drops peers that stop announcing once their time is up', async () => {
    let now = 1_000_000;
    const { server, url } = await start({ interval: 10, peerTtl: 30, now: () => now });
    await client.announce(url, peer('a', 6001));
    now += 20_000;
    await client.announce(url, peer('b', 6002));
    expect(server.swarm(hash).incomplete).toBe(2);
    now += 15_000; // a: 35 s silent, b: 15 s
    expect(server.swarm(hash).peers.map((p) => p.port)).toEqual([6002]);
    expect((await client.announce(url, peer('c', 6003))).peers).toEqual([{ host: '127.0.0.1', port: 6002 }]);
  });

  it('caps numwant', async () => {
    const { url } = await start({ maxNumwant: 3, defaultNumwant: 2 });
    for (let i = 0; i < 6; i++) await client.announce(url, peer(`p${i}`, 7000 + i));
    expect((await client.announce(url, peer('me', 7100, 100, { numwant: 50 }))).peers).toHaveLength(3);
    expect((await client.announce(url, peer('me', 7100))).peers).toHaveLength(2);
    expect((await client.announce(url, peer('me', 7100, 100, { numwant: 0 }))).peers).toHaveLength(0);
  });

  it('serves only allowed info hashes when given a whitelist', async () => {
    const { url } = await start({ allowInfoHash: (h) => h[0] === 0x6d });
    expect((await client.announce(url, peer('a', 6001))).peers).toEqual([]);
    const error = await rejection(client.announce(url, { ...peer('a', 6001), infoHash: id20('nope') }));
    expect([error.code, error.failureReason]).toEqual(['TRACKER_FAILURE', 'unregistered torrent']);
  });

  it.each([
    ['no info_hash', 'peer_id=aaaaaaaaaaaaaaaaaaaa&port=1&left=0', 'missing info_hash'],
    ['a short info_hash', 'info_hash=abc&peer_id=aaaaaaaaaaaaaaaaaaaa&port=1&left=0', 'info_hash must be 20 bytes, got 3'],
    ['bad percent-encoding', `info_hash=%zz${'a'.repeat(18)}&peer_id=aaaaaaaaaaaaaaaaaaaa&port=1&left=0`, 'malformed percent-encoding in query'],
    ['no port', `info_hash=${'a'.repeat(20)}&peer_id=${'a'.repeat(20)}&left=0`, 'missing port'],
    ['port 0', `info_hash=${'a'.repeat(20)}&peer_id=${'a'.repeat(20)}&port=0&left=0`, 'port must be from 1 to 65535'],
    ['port -1', `info_hash=${'a'.repeat(20)}&peer_id=${'a'.repeat(20)}&port=-1&left=0`, 'port must be a non-negative integer'],
    ['left 1e3', `info_hash=${'a'.repeat(20)}&peer_id=${'a'.repeat(20)}&port=1&left=1e3`, 'left must be a non-negative integer'],
    ['a huge left', `info_hash=${'a'.repeat(20)}&peer_id=${'a'.repeat(20)}&port=1&left=99999999999999999999`, 'left must be a non-negative integer'],
    ['an unknown event', `info_hash=${'a'.repeat(20)}&peer_id=${'a'.repeat(20)}&port=1&left=0&event=paused`, 'unknown event "paused"'],
    ['two info_hashes', `info_hash=${'a'.repeat(20)}&info_hash=${'b'.repeat(20)}&peer_id=${'a'.repeat(20)}&port=1&left=0`, 'parameter info_hash given more than once'],
    ['too many parameters', `${'x=1&'.repeat(100)}`, 'too many query parameters'],
    ['a URL of 5000 bytes', `x=${'1'.repeat(5000)}`, 'request URL too long'],
  ])('refuses an announce with %s, with a failure reason', async (_, query, reason) => {
    const { url } = await start();
    const { status, body } = await raw(`${url}?${query}`);
    expect(status).toBe(200);
    expect(typeof body === 'object' ? text(body['failure reason'] as Uint8Array) : body).toBe(reason);
  });

  it('refuses a scrape without info_hash and answers 404 elsewhere', async () => {
    const { url } = await start();
    const scrape = await raw(url.replace('announce', 'scrape'));
    expect(typeof scrape.body === 'object' && text(scrape.body['failure reason'] as Uint8Array)).toMatch(/needs info_hash/);
    expect((await raw(url.replace('announce', 'favicon.ico'))).status).toBe(404);
  });

  it('serves IPv6 announcers peers6 (BEP 7) beside IPv4 peers, and IPv4 announcers IPv4 only', async () => {
    const { url } = await start({ trustIpParameter: true }, '::1');
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+\/announce$/);
    await client.announce(url, peer('four', 6000, 100, { ip: '192.0.2.1' }));
    await client.announce(url, peer('six-a', 6001));
    const six = await client.announce(url, peer('six-b', 6002));
    expect(six.peers).toEqual([
      { host: '192.0.2.1', port: 6000 },
      { host: '::1', port: 6001 },
    ]);
    const four = await client.announce(url, peer('four', 6000, 100, { ip: '192.0.2.1' }));
    expect(four.peers).toEqual([]);
  });

  it('uses the ip parameter only when told to trust it', async () => {
    const plain = await start();
    await client.announce(plain.url, peer('a', 6001, 100, { ip: '10.9.8.7' }));
    expect(plain.server.swarm(hash).peers[0]!.host).toBe('127.0.0.1');
    const trusting = await start({ trustIpParameter: true });
    await client.announce(trusting.url, peer('a', 6001, 100, { ip: '10.9.8.7' }));
    expect(trusting.server.swarm(hash).peers[0]!.host).toBe('10.9.8.7');
  });

  it('answers 500 when its own code fails, and keeps serving', async () => {
    let calls = 0;
    const { url } = await start({
      allowInfoHash: () => {
        if (++calls === 1) throw new Error('whitelist backend down');
        return true;
      },
    });
    const error = await rejection(client.announce(url, peer('a', 6001)));
    expect([error.code, error.status]).toEqual(['TRACKER_HTTP_STATUS', 500]);
    expect((await client.announce(url, peer('a', 6001))).peers).toEqual([]);
  });

  it('stops cleanly, closing open connections, and can report no address afterwards', async () => {
    const { server, url } = await start();
    await server.stop();
    expect(server.address).toBeUndefined();
    expect((await rejection(client.announce(url, peer('a', 1)))).code).toBe('TRACKER_NETWORK');
    await server.stop();
  });
});
