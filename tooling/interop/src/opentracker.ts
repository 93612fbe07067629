import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpUdpPort } from './net.js';
import { startProcess, type ManagedProcess } from './process.js';
import { waitFor } from './wait.js';

/** A Debian opentracker serving HTTP and UDP on one loopback port. */
export interface Opentracker {
  readonly process: ManagedProcess;
  readonly port: number;
  /** `http://127.0.0.1:PORT/announce` */
  readonly httpUrl: string;
  /** `udp://127.0.0.1:PORT` */
  readonly udpUrl: string;
  /** Stops the process group and removes its directory. */
  stop(): Promise<void>;
}

function httpText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

/**
 * Starts opentracker (built in whitelist mode) for `infoHashesHex` (40 hex digits each) and
 * waits until it serves them. Its directory is world-readable and the whitelist path is
 * relative to it: as root, opentracker chroots there and drops to `nobody`.
 */
export async function startOpentracker(infoHashesHex: readonly string[]): Promise<Opentracker> {
  const dir = mkdtempSync(join(tmpdir(), 'gtorr-opentracker-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'whitelist.txt'), infoHashesHex.map((h) => `${h.toLowerCase()}\n`).join(''), { mode: 0o644 });
  writeFileSync(join(dir, 'opentracker.conf'), 'access.whitelist whitelist.txt\n', { mode: 0o644 });
  const port = await freeTcpUdpPort();
  const process = startProcess('opentracker', ['-f', join(dir, 'opentracker.conf'), '-i', '127.0.0.1', '-p', String(port), '-P', String(port), '-d', dir], { removeAfterStop: [dir] });
  const httpUrl = `http://127.0.0.1:${port}/announce`;
  const stop = () => process.stop();
  try {
    // The whitelist is loaded a moment after start: until then every hash is refused.
    // A `stopped` announce of an unknown peer changes nothing in the swarm.
    const first = infoHashesHex[0];
    if (first !== undefined) {
      const hash = first.replace(/../g, (h) => `%${h}`);
      await waitFor(
        'opentracker to load its whitelist',
        async () => !(await httpText(`${httpUrl}?info_hash=${hash}&peer_id=gtorr-readiness-0000&port=1&left=0&event=stopped`)).includes('failure reason'),
        10_000,
      );
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nopentracker output:\n${process.output()}`);
  }
  return { process, port, httpUrl, udpUrl: `udp://127.0.0.1:${port}`, stop };
}
