import { createTorrentFromBuffers, parseInfoDictionary, parseTorrent, toHex, type Metainfo } from '@gtorr/metainfo';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerHashRequest, pieceTree } from '../../src/metadata/hash-proof.js';
import { HASH_REQUESTS_PER_PEER, PieceLayerFetcher } from '../../src/metadata/piece-layer-fetcher.js';

const PIECE_LENGTH = 32 * 1024;
let full: Metainfo;
// What a magnet link's peers give: the info dictionary alone, no piece layers.
let bare: Metainfo;

beforeAll(async () => {
  const files = [3 * PIECE_LENGTH + 5, 100, 5 * PIECE_LENGTH, 2 * PIECE_LENGTH - 1].map((size, i) => ({ path: [`f${i}`], data: new Uint8Array(randomBytes(size)) }));
  full = parseTorrent((await createTorrentFromBuffers('layers', files, { version: 2, pieceLength: PIECE_LENGTH })).torrent);
  bare = parseInfoDictionary(full.infoBytes);
});

/** The honest answer to `range`, from the .torrent's layers. */
function answer(range: Parameters<typeof answerHashRequest>[1]): Uint8Array {
  return answerHashRequest(pieceTree(full.pieceLayers!.get(toHex(range.piecesRoot))!, PIECE_LENGTH), range)!;
}

describe('PieceLayerFetcher', () => {
  it('asks for one range a file with a layer (three here), at most two at a peer, and assembles the layers of the .torrent', () => {
    const fetcher = new PieceLayerFetcher(bare);
    const a = [fetcher.next('a', 0), fetcher.next('a', 0), fetcher.next('a', 0)];
    expect(a.filter((r) => r !== undefined)).toHaveLength(HASH_REQUESTS_PER_PEER);
    const b = fetcher.next('b', 0)!;
    expect(fetcher.next('b', 0)).toBeUndefined();
    for (const range of [a[0]!, a[1]!]) expect(fetcher.received('a', range, answer(range), 1)).toBe('verified');
    expect(fetcher.complete).toBe(false);
    expect(fetcher.received('b', b, answer(b), 1)).toBe('verified');
    expect(fetcher.complete).toBe(true);
    const layers = fetcher.pieceLayers();
    expect([...layers.keys()].sort()).toEqual([...full.pieceLayers!.keys()].sort());
    for (const [root, layer] of full.pieceLayers!) expect(layers.get(root)).toEqual(layer);
  });

  it('calls hashes that do not prove themselves bad, and asks another peer (not the liar, for a while)', () => {
    const fetcher = new PieceLayerFetcher(bare);
    const range = fetcher.next('liar', 0)!;
    const wrong = answer(range).slice();
    wrong[0]! ^= 1;
    expect(fetcher.received('liar', range, wrong, 1)).toBe('bad');
    expect(fetcher.pending('liar')).toBe(0);
    const again = fetcher.next('honest', 2)!;
    expect(again).toBe(range);
    // The liar is asked for the other ranges, not that one, until 30 s have passed.
    expect(fetcher.next('liar', 3)).not.toBe(range);
  });

  it('takes no hashes it did not ask that peer for', () => {
    const fetcher = new PieceLayerFetcher(bare);
    const range = fetcher.next('a', 0)!;
    expect(fetcher.received('b', range, answer(range), 1)).toBe('unexpected');
    expect(fetcher.received('a', { ...range, proofLayers: range.proofLayers + 1 }, answer(range), 1)).toBe('unexpected');
  });

  it('gives a rejected, a late and a lost peer’s ranges to others', () => {
    const fetcher = new PieceLayerFetcher(bare);
    const rejected = fetcher.next('a', 0)!;
    fetcher.rejected('a', rejected, 1);
    expect(fetcher.next('b', 1)).toBe(rejected);
    const late = fetcher.next('c', 1)!;
    expect(fetcher.tick(5_000)).toEqual([]);
    expect(fetcher.tick(11_001)).toEqual(expect.arrayContaining(['b', 'c']));
    expect(fetcher.pending('c')).toBe(0);
    expect(fetcher.next('d', 11_002)).toBe(rejected);
    expect(fetcher.next('d', 11_002)).toBe(late);
    fetcher.peerGone('d');
    expect(fetcher.next('e', 11_003)).toBe(rejected);
  });

  it('has nothing to fetch for a torrent whose layers are all known', () => {
    expect(new PieceLayerFetcher(full).complete).toBe(true);
  });
});
