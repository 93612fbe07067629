// The reference-client tests' torrent: three files (one of a single byte) across a
// sub-folder, 64 KiB pieces.
import { afterAll, beforeAll } from 'vitest';
import { makeSwarmFixture, stopAll, type SwarmFixture } from '../../src/index.js';

export const NAME = 'swarm';

/**
 * The hooks of every test file: one fixture for the file (read it through the returned
 * function, inside tests), and every process stopped and the fixture removed afterwards.
 */
export function useSwarmFixture(): () => SwarmFixture {
  let fixture: SwarmFixture | undefined;
  beforeAll(async () => {
    fixture = await makeSwarmFixture({ name: NAME, files: { 'a.bin': 300_000, 'sub/b.bin': 1_048_699, 'c.txt': 1 }, pieceLength: 65_536, timeoutMs: 20_000 });
  }, 30_000);
  afterAll(async () => {
    await stopAll();
    fixture?.remove();
  });
  return () => fixture!;
}
