import { fileURLToPath } from 'node:url';
import { startProcess, waitFor } from '@gtorr/interop';
import { HttpTrackerClient } from '@gtorr/tracker-http';
import { UdpTrackerClient } from '@gtorr/tracker-udp';
import { describe, expect, it } from 'vitest';
import { captureIo, type CapturedIo } from './capture-io.js';
import { main } from '../src/main.js';

function capture(signal: AbortSignal): CapturedIo {
  return captureIo({ signal });
}

const announce = { infoHash: new Uint8Array(20).fill(3), peerId: new Uint8Array(20).fill(4), port: 6881, uploaded: 0, downloaded: 0, left: 0 };

describe('gtorr tracker', () => {
  it('serves one swarm over HTTP and UDP until its signal is aborted, then exits 0', async () => {
    const controller = new AbortController();
    const io = capture(controller.signal);
    const running = main(['tracker', '--port', '0', '--interval', '120'], io);
    const urls = await waitFor('the announce URLs', () => {
      const found = [...io.out().matchAll(/announce URL: (\S+)/g)].map((m) => m[1]!);
      return found.length === 2 ? found : undefined;
    }, 5000, 20);
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/announce$/);
    expect(urls[1]).toBe(urls[0]!.replace('http:', 'udp:').replace('/announce', ''));
    const response = await new HttpTrackerClient({ timeoutMs: 5000 }).announce(urls[0]!, announce);
    expect(response.interval).toBe(120);
    const udp = new UdpTrackerClient({ retransmitBaseMs: 500, maxRetransmits: 2 });
    try {
      const other = await udp.announce(urls[1]!, { ...announce, peerId: new Uint8Array(20).fill(5), port: 6882, left: 10 });
      expect(other).toEqual({ interval: 120, complete: 1, incomplete: 1, peers: [{ host: '127.0.0.1', port: 6881 }] });
    } finally {
      await udp.close();
    }
    controller.abort();
    expect(await running).toBe(0);
    expect(io.out()).toContain('stopped');
  });

  it('refuses bad options with exit 2, and a port in use with exit 1', async () => {
    for (const args of [['--port', '70000'], ['--port', 'abc'], ['--interval', '0'], ['extra'], ['--nope']]) {
      const io = capture(new AbortController().signal);
      expect(await main(['tracker', ...args], io), args.join(' ')).toBe(2);
      expect(io.err()).toMatch(/^gtorr: /);
    }
    const first = new AbortController();
    const io1 = capture(first.signal);
    const running = main(['tracker', '--port', '0'], io1);
    const port = await waitFor('the port', () => /port (\d+)/.exec(io1.out())?.[1], 5000, 20);
    const io2 = capture(new AbortController().signal);
    expect(await main(['tracker', '--port', port], io2)).toBe(1);
    expect(io2.err()).toBe(`gtorr: cannot listen (HTTP) on 127.0.0.1 port ${port}: the port is in use\n`);
    first.abort();
    expect(await running).toBe(0);
  });

  it('serves HTTP only with --no-udp', async () => {
    const controller = new AbortController();
    const io = capture(controller.signal);
    const running = main(['tracker', '--port', '0', '--no-udp'], io);
    await waitFor('the listening line', () => io.out().includes('Press Ctrl-C'), 5000, 20);
    expect([...io.out().matchAll(/announce URL: (\S+)/g)].map((m) => m[1]!.split(':')[0])).toEqual(['http']);
    controller.abort();
    expect(await running).toBe(0);
  });

  it('lists itself in gtorr --help and has examples in its own help', async () => {
    const io = capture(new AbortController().signal);
    await main(['--help'], io);
    expect(io.out()).toMatch(/tracker\s+run a small HTTP and UDP tracker/);
    const help = capture(new AbortController().signal);
    expect(await main(['tracker', '--help'], help)).toBe(0);
    expect(help.out()).toContain('Examples:');
  });

  it('stops on Ctrl-C as a process (the built bin)', async () => {
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const child = startProcess(process.execPath, [bin, 'tracker', '--port', '0']);
    try {
      const url = await waitFor('the announce URL', () => /announce URL: (\S+)/.exec(child.output())?.[1], 10_000, 50);
      expect((await new HttpTrackerClient({ timeoutMs: 5000 }).announce(url, announce)).peers).toEqual([]);
      child.child.kill('SIGINT');
      const code = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
      expect(code).toBe(0);
    } finally {
      await child.stop();
    }
  });
});
