import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@gtorr/bencode';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTrackerClient, TrackerError, type AnnounceRequest } from '../../src/index.js';
import { id20, localServer, rejection, type LocalServer } from '../helpers.js';

const request: AnnounceRequest = { infoHash: id20('hash'), peerId: id20('peer'), port: 6881, uploaded: 0, downloaded: 0, left: 10 };
const ok = encode({ interval: 60, peers: Uint8Array.of(127, 0, 0, 1, 0, 99) });

let servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const s = await localServer(handler);
  servers.push(s);
  return s;
}

describe('HttpTrackerClient.announce', () => {
  it('sends the announce as a GET and parses the answer', async () => {
    let seen = '';
    const s = await serve((req, res) => {
      seen = req.url ?? '';
      res.end(ok);
    });
    const response = await new HttpTrackerClient().announce(`${s.origin}/announce?passkey=xyz`, { ...request, event: 'started' });
    expect(response.peers).toEqual([{ host: '127.0.0.1', port: 99 }]);
    expect(seen).toMatch(/^\/announce\?passkey=xyz&info_hash=hash\.{16}&peer_id=peer\.{16}&port=6881&.*event=started/);
  });

  it('remembers the tracker id a tracker gave and sends it back', async () => {
    const urls: string[] = [];
    const s = await serve((req, res) => {
      urls.push(req.url ?? '');
      res.end(encode({ interval: 60, peers: '', 'tracker id': 'T-1' }));
    });
    const client = new HttpTrackerClient();
    await client.announce(`${s.origin}/announce`, request);
    await client.announce(`${s.origin}/announce`, request);
    expect(urls[0]).not.toContain('trackerid');
    expect(urls[1]).toContain('trackerid=T-1');
  });

  it('refuses a body that is not bencode with TRACKER_BAD_RESPONSE', async () => {
    const s = await serve((_, res) => res.end('<html><body>Welcome to nginx!</body></html>'));
    const error = await rejection(new HttpTrackerClient().announce(`${s.origin}/announce`, request));
    expect(error).toBeInstanceOf(TrackerError);
    expect([error.code, error.url, error.retryable]).toEqual(['TRACKER_BAD_RESPONSE', `${s.origin}/announce?${new URL(error.url!).search.slice(1)}`, false]);
  });

  it.each([
    ['peers', 6 * 3 + 1],
    ['peers', 6 * 3 - 1],
    ['peers6', 18 * 2 + 6],
  ])('refuses compact %s of %i bytes with TRACKER_BAD_PEERS', async (key, length) => {
    const s = await serve((_, res) => res.end(encode({ interval: 60, [key]: new Uint8Array(length) })));
    expect((await rejection(new HttpTrackerClient().announce(`${s.origin}/announce`, request))).code).toBe('TRACKER_BAD_PEERS');
  });

  it('cuts off a body of gigabytes with TRACKER_TOO_LARGE, without buffering it', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    const s = await serve((_, res) => {
      // 4 GiB announced by nothing (chunked), produced as fast as the client reads it.
      const pump = () => {
        while (sent < 4 * 2 ** 30 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.writeHead(200);
      pump();
    });
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const error = await rejection(new HttpTrackerClient({ maxResponseBytes: 256 * 1024 }).announce(`${s.origin}/announce`, request));
    expect(error.code).toBe('TRACKER_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(5000);
    // What crossed the socket before it closed: the cap plus socket buffers, not gigabytes.
    expect(sent).toBeLessThan(64 * 2 ** 20);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const s = await serve((_, res) => {
      // Headers only: a client that waited for the body would run into its timeout.
      res.writeHead(200, { 'content-length': String(5 * 2 ** 30) });
      res.flushHeaders();
    });
    const started = performance.now();
    const error = await rejection(new HttpTrackerClient({ maxResponseBytes: 1000, timeoutMs: 5000 }).announce(`${s.origin}/announce`, request));
    expect(error.code).toBe('TRACKER_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives up on a tracker that never answers with TRACKER_TIMEOUT, on time', async () => {
    const s = await serve(() => {
      // accept, read, never answer
    });
    const started = performance.now();
    const error = await rejection(new HttpTrackerClient({ timeoutMs: 300 }).announce(`${s.origin}/announce`, request));
    expect([error.code, error.retryable]).toEqual(['TRACKER_TIMEOUT', true]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out a tracker that sends its body too slowly (the deadline covers the whole exchange)', async () => {
    const s = await serve((_, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('d'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const error = await rejection(new HttpTrackerClient({ timeoutMs: 400 }).announce(`${s.origin}/announce`, request));
    expect(error.code).toBe('TRACKER_TIMEOUT');
  });

  it('follows redirects within the bound, keeping the query of the Location', async () => {
    const s = await serve((req, res) => {
      if (req.url?.startsWith('/announce')) {
        res.writeHead(302, { location: `/real/announce?${req.url.split('?')[1]}` });
        res.end();
      } else if (req.url?.startsWith('/real/announce?info_hash=')) res.end(ok);
      else res.writeHead(404).end();
    });
    expect((await new HttpTrackerClient().announce(`${s.origin}/announce`, request)).peers).toHaveLength(1);
  });

  it('stops a redirect loop with TRACKER_TOO_MANY_REDIRECTS', async () => {
    let hits = 0;
    const s = await serve((req, res) => {
      hits++;
      res.writeHead(307, { location: req.url?.startsWith('/a') ? '/b' : '/a' });
      res.end();
    });
    const error = await rejection(new HttpTrackerClient().announce(`${s.origin}/a`, request));
    expect(error.code).toBe('TRACKER_TOO_MANY_REDIRECTS');
    expect(hits).toBeLessThanOrEqual(3);
  });

  it('stops an endless chain of new redirects after maxRedirects', async () => {
    let hits = 0;
    const s = await serve((_, res) => {
      hits++;
      res.writeHead(301, { location: `/r${hits}` });
      res.end();
    });
    const error = await rejection(new HttpTrackerClient({ maxRedirects: 3 }).announce(`${s.origin}/announce`, request));
    expect(error.code).toBe('TRACKER_TOO_MANY_REDIRECTS');
    expect(hits).toBe(4);
  });

  it('refuses a redirect to another scheme or without a Location with TRACKER_BAD_REDIRECT', async () => {
    const s = await serve((req, res) => {
      res.writeHead(302, req.url?.startsWith('/x') ? {} : { location: 'file:///etc/passwd' });
      res.end();
    });
    expect((await rejection(new HttpTrackerClient().announce(`${s.origin}/announce`, request))).code).toBe('TRACKER_BAD_REDIRECT');
    expect((await rejection(new HttpTrackerClient().announce(`${s.origin}/x`, request))).code).toBe('TRACKER_BAD_REDIRECT');
  });

  it('reports HTTP errors with their status, and a bencoded failure reason in any status as TRACKER_FAILURE', async () => {
    const s = await serve((req, res) => {
      if (req.url?.startsWith('/busy')) res.writeHead(503).end('down');
      else if (req.url?.startsWith('/gone')) res.writeHead(404).end('nope');
      else res.writeHead(400).end(encode({ 'failure reason': 'passkey not found' }));
    });
    const busy = await rejection(new HttpTrackerClient().announce(`${s.origin}/busy`, request));
    expect([busy.code, busy.status, busy.retryable]).toEqual(['TRACKER_HTTP_STATUS', 503, true]);
    const gone = await rejection(new HttpTrackerClient().announce(`${s.origin}/gone`, request));
    expect([gone.code, gone.status, gone.retryable]).toEqual(['TRACKER_HTTP_STATUS', 404, false]);
    const refused = await rejection(new HttpTrackerClient().announce(`${s.origin}/announce`, request));
    expect([refused.code, refused.failureReason]).toEqual(['TRACKER_FAILURE', 'passkey not found']);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const s = await serve(() => {});
    const controller = new AbortController();
    const pending = new HttpTrackerClient({ timeoutMs: 10_000 }).announce(`${s.origin}/announce`, request, { signal: controller.signal });
    const reason = new Error('user stopped');
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(pending)).toBe(reason);
    const already = AbortSignal.abort(new Error('before'));
    expect((await rejection(new HttpTrackerClient().announce(`${s.origin}/announce`, request, { signal: already }))).message).toBe('before');
  });

  it('reports a refused connection as retryable TRACKER_NETWORK', async () => {
    const s = await serve(() => {});
    const url = `${s.origin}/announce`;
    await s.close();
    servers = [];
    const error = await rejection(new HttpTrackerClient({ timeoutMs: 2000 }).announce(url, request));
    expect([error.code, error.retryable]).toEqual(['TRACKER_NETWORK', true]);
  });
});

describe('HttpTrackerClient.scrape', () => {
  it('scrapes several info hashes from the scrape URL', async () => {
    let seen = '';
    const a = id20('a');
    const b = id20('b');
    const s = await serve((req, res) => {
      seen = req.url ?? '';
      res.end(encode({ files: new Map([[a, { complete: 2, incomplete: 1, downloaded: 5 }], [b, { complete: 0, incomplete: 0, downloaded: 0 }]]) }));
    });
    const response = await new HttpTrackerClient().scrape(`${s.origin}/x/announce.php?k=1`, [a, b]);
    expect(seen).toBe('/x/scrape.php?k=1&info_hash=a...................&info_hash=b...................');
    expect(response.files.map((f) => [f.infoHash[0], f.complete, f.incomplete, f.downloaded])).toEqual([
      [0x61, 2, 1, 5],
      [0x62, 0, 0, 0],
    ]);
  });

  it('rejects an announce URL without a scrape counterpart before any request', async () => {
    let hits = 0;
    const s = await serve((_, res) => {
      hits++;
      res.end();
    });
    expect((await rejection(new HttpTrackerClient().scrape(`${s.origin}/tracker`, [id20('a')]))).code).toBe('TRACKER_SCRAPE_UNSUPPORTED');
    expect(hits).toBe(0);
  });
});

let openssl = false;
try {
  execFileSync('openssl', ['version'], { timeout: 5000, stdio: 'ignore' });
  openssl = true;
} catch {
  openssl = false;
}

describe.runIf(openssl)('HttpTrackerClient over HTTPS', () => {
  it('announces to an https tracker (self-signed certificate trusted through an agent)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtorr-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { timeout: 10_000, stdio: 'ignore' });
      const cert = readFileSync(join(dir, 'cert.pem'));
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_, res) => res.end(ok));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/announce`;
        const trusted = new HttpTrackerClient({ agent: new Agent({ ca: cert, keepAlive: false }) });
        expect((await trusted.announce(url, request)).peers).toEqual([{ host: '127.0.0.1', port: 99 }]);
        // Without the certificate trusted, TLS fails as a network error.
        expect((await rejection(new HttpTrackerClient().announce(url, request))).code).toBe('TRACKER_NETWORK');
      } finally {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

