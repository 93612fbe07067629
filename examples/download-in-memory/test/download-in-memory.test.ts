import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as metainfo from '@gtorr/metainfo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSeeder, type LocalSeeder } from '@gtorr/example-support';

const run = promisify(execFile);
const program = fileURLToPath(new URL('../index.mjs', import.meta.url));

let seeder: LocalSeeder;
beforeAll(async () => {
  seeder = await startLocalSeeder();
});
afterAll(async () => {
  await seeder.stop();
});

function expectedLines(): string[] {
  return seeder.files.map((f) => JSON.stringify({ path: f.path, length: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex') }));
}

describe('examples/download-in-memory', () => {
  it('downloads a .torrent from a peer given by hand and prints every file\'s SHA-256', async () => {
    const { stdout } = await run(process.execPath, [program, seeder.torrentPath, seeder.address], { timeout: 30_000 });
    expect(stdout.trim().split('\n')).toEqual(expectedLines());
  });

  it('does the same from a magnet link', async () => {
    const magnet = metainfo.formatMagnet({ infoHash: seeder.metainfo.infoHash, name: 'example', peers: [seeder.address] });
    const { stdout } = await run(process.execPath, [program, magnet], { timeout: 30_000 });
    expect(stdout.trim().split('\n')).toEqual(expectedLines());
  });
});
