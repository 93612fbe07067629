import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, interop, startProcess, SYSTEM_PYTHON, waitFor, type ManagedProcess } from '@gtorr/interop';
import { afterAll, describe, expect, it } from 'vitest';
import { createTrackerServer } from '../../src/index.js';

const script = fileURLToPath(new URL('./libtorrent-swarm.py', import.meta.url));

describe.runIf(interop('libtorrent'))('libtorrent announcing to our tracker server', () => {
  const server = createTrackerServer({ interval: 60 });
  const dir = mkdtempSync(join(tmpdir(), 'gtorr-lt-tracker-'));
  let python: ManagedProcess | undefined;

  afterAll(async () => {
    await python?.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows up in our swarm, and two sessions find each other through it', async () => {
    const { announceUrl } = await server.start({ host: '127.0.0.1', port: 0 });
    const seedPort = await freePort();
    const leechPort = await freePort();
    python = startProcess(SYSTEM_PYTHON, [script, announceUrl, dir, String(seedPort), String(leechPort), '40']);
    const lines = () =>
      python!
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const fail = () => lines().find((l) => 'timeout' in l);
    const infoHash = await waitFor('libtorrent to make its torrent', () => lines().find((l) => typeof l.infoHash === 'string')?.infoHash as string | undefined, 20_000);
    const hash = Buffer.from(infoHash, 'hex');

    await waitFor('the seed in our swarm', () => server.swarm(hash).complete === 1, 20_000);
    const seed = server.swarm(hash).peers[0]!;
    expect([seed.host, seed.port, seed.left]).toEqual(['127.0.0.1', seedPort, 0]);
    expect(Buffer.from(seed.peerId).toString('latin1')).toMatch(/^-LT2/);

    await waitFor('the leecher to finish through the tracker', () => {
      if (fail()) throw new Error(`libtorrent: ${JSON.stringify(fail())}\n${python!.output()}`);
      return lines().some((l) => l.done === true);
    }, 30_000);
    // The leecher announced `completed` when it finished: counted once.
    await waitFor('the completed announce', () => server.swarm(hash).downloaded === 1, 10_000);
    expect(server.swarm(hash).peers.map((p) => p.port).sort()).toEqual([seedPort, leechPort].sort());
    expect(server.swarm(hash).complete).toBe(2);
  }, 60_000);
});
