import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSeeder, type LocalSeeder } from '@gtorr/example-support';

const run = promisify(execFile);
const program = fileURLToPath(new URL('../index.mjs', import.meta.url));

let seeder: LocalSeeder;
beforeAll(async () => {
  seeder = await startLocalSeeder({ withTracker: true });
});
afterAll(async () => {
  await seeder.stop();
});

describe('examples/fetch-one-piece', () => {
  it('finds the seeder through the tracker and verifies the piece', async () => {
    const { stdout } = await run(process.execPath, [program, seeder.torrentPath, '3'], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ peer: seeder.address, piece: 3, length: 64 * 1024, verified: true });
  });

  it('takes the peer by hand and fetches the short last piece', async () => {
    const last = seeder.metainfo.pieceCount - 1;
    const { stdout } = await run(process.execPath, [program, seeder.torrentPath, String(last), seeder.address], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toMatchObject({ piece: last, length: seeder.metainfo.length - last * 64 * 1024, verified: true });
  });
});
