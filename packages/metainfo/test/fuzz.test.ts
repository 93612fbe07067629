import { BencodeError } from '@gtorr/bencode';
import { readFixture } from '@gtorr/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetainfoError, parseInfoDictionary, parseTorrent } from '../src/index.js';

// Our parsers may refuse anything, but only ever with their own error: never a TypeError from
// deep inside, never a RangeError from a huge allocation, never a hang.
function onlyOurErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof MetainfoError)) throw error;
    expect(error.cause === undefined || error.cause instanceof BencodeError).toBe(true);
  }
}

const seeds = ['torrents/libtorrent/hybrid-multi.torrent', 'torrents/libtorrent/v2-multi-32k-private.torrent', 'torrents/mktorrent/multi-private.torrent', 'torrents/webtorrent/numbers.torrent'].map(readFixture);

describe('parseTorrent on hostile bytes', () => {
  it('throws only MetainfoError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyOurErrors(() => parseTorrent(bytes))), { numRuns: 2000 });
  });

  it('throws only MetainfoError on real torrents with bytes changed, cut or repeated', () => {
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      at: fc.nat(),
      kind: fc.constantFrom('flip', 'cut', 'digit', 'splice'),
      value: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, at, kind, value }) => {
        const original = seeds[seed]!;
        const p = at % original.length;
        let bytes: Uint8Array;
        if (kind === 'cut') bytes = original.subarray(0, p);
        else if (kind === 'splice') bytes = Uint8Array.from([...original.subarray(0, p), ...original.subarray(p, p + (value % 40)), ...original.subarray(p)]);
        else {
          bytes = original.slice();
          // Digits change lengths and integers, which is where parsers go wrong.
          bytes[p] = kind === 'digit' ? 0x30 + (value % 10) : value;
        }
        onlyOurErrors(() => parseTorrent(bytes));
        onlyOurErrors(() => parseInfoDictionary(bytes));
      }),
      { numRuns: 1500 },
    );
  });
});
