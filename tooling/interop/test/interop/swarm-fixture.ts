// The reference-client tests' torrent: three files (one of a single byte) across a
// sub-folder, 64 KiB pieces.
import { makeSwarmFixture as make, type SwarmFixture } from '../../src/index.js';

export type { SwarmFixture };
export const NAME = 'swarm';

export function makeSwarmFixture(): Promise<SwarmFixture> {
  return make({ name: NAME, files: { 'a.bin': 300_000, 'sub/b.bin': 1_048_699, 'c.txt': 1 }, pieceLength: 65_536, timeoutMs: 20_000 });
}
