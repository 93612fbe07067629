import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { addTorrent, cleanup, downloaded, makeFixture, nextEvent, sameFiles, spawnNode, startSeeder, startSession, tempDir, within } from './swarm-helpers.js';

afterEach(cleanup);

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('fixtures/leech-child.mjs', import.meta.url));
const MIB = 1024 * 1024;

describe('Session: resume after the process is killed', () => {
  it('keeps the pieces a killed process verified and downloads only the rest', { timeout: 20_000 }, async () => {
    // The child runs the built engine: `pnpm --filter @gtorr/client build` (turbo's test task depends on build).
    expect(existsSync(join(PACKAGE_DIR, 'dist', 'index.js')), 'packages/client/dist is missing: build the package first').toBe(true);
    const fixture = await makeFixture([8 * MIB]);
    const { pieceCount, length } = fixture.metainfo;
    // Slow enough that the child is killed well before it is done.
    const seeder = await startSeeder(fixture, { uploadRateLimit: 2 * MIB });
    const torrentPath = join(fixture.root, 'payload.torrent');
    await writeFile(torrentPath, fixture.torrent);

    const out = await tempDir();
    const child = spawnNode(CHILD, [torrentPath, out, seeder.address], PACKAGE_DIR);
    let verified = 0;
    await within(
      (async () => {
        for await (const line of child.lines) {
          if (line.event === 'error') throw new Error(`child: ${String(line.message)}`);
          if (line.event === 'piece:verified' && ++verified >= pieceCount / 2) return;
        }
        throw new Error('child: exited before half the pieces were verified');
      })(),
      15_000,
      'half the pieces in the child',
    );
    child.process.kill('SIGKILL');
    expect(await within(child.exited, 5000, 'child exit')).toBe('SIGKILL');

    const leecher = await startSession();
    const torrent = addTorrent(leecher, fixture.metainfo, { directory: out, peers: [seeder.address] });
    const [check] = await nextEvent(torrent, 'check:done', 10_000);
    expect(check.verified).toBeGreaterThanOrEqual(verified);
    expect(check.verified).toBeLessThan(pieceCount);
    await downloaded(torrent, 15_000);
    expect(await sameFiles(fixture, out)).toBe(true);
    // Only what the check did not find was fetched again.
    const fetched = torrent.progress().downloaded;
    expect(fetched).toBeGreaterThanOrEqual((pieceCount - check.verified) * fixture.metainfo.pieceLength);
    expect(fetched).toBeLessThan(0.75 * length);
  });
});
