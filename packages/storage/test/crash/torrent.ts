import { makeTestTorrent, testBytes, type TestTorrent } from '../../src/test.js';

/** The torrent the crash test's child writes and the test checks: the same bytes in both processes. */
export function crashTorrent(): Promise<TestTorrent> {
  return makeTestTorrent(
    'crash',
    [
      { path: ['a.bin'], data: testBytes(900_000, 11) },
      { path: ['b.bin'], data: testBytes(70_000, 12) },
      { path: ['sub', 'c.bin'], data: testBytes(1_300_000, 13) },
    ],
    { version: 'hybrid', pieceLength: 65536 },
  );
}
