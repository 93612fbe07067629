import { createHash } from 'node:crypto';
import { decode, encode, type Encodable } from '@gtorr/bencode';
import { readFixture } from '@gtorr/fixtures';
import { describe, expect, it } from 'vitest';
import { parseInfoDictionary, parseTorrent, toHex } from '../src/index.js';
import { hex, singleInfo, torrent } from './helpers.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

describe('parseTorrent: v1 (BEP 3)', () => {
  it('reads a single-file torrent', () => {
    const meta = parseTorrent(torrent(singleInfo({}, 40000), { announce: 'http://127.0.0.1:6969/announce', comment: 'hi', 'created by': 'me', 'creation date': 1700000000 }));
    expect(meta.version).toBe(1);
    expect(meta.name).toBe('file.bin');
    expect(meta.isDirectory).toBe(false);
    expect(meta.pieceLength).toBe(16384);
    expect(meta.pieceCount).toBe(3);
    expect(meta.length).toBe(40000);
    expect(meta.files).toEqual([{ path: ['file.bin'], length: 40000, offset: 0, padding: false, attributes: '' }]);
    expect(meta.pieces).toHaveLength(60);
    expect(meta.pieceLayers).toBeNull();
    expect(meta.infoHash.v2).toBeNull();
    expect(meta.announce).toEqual([['http://127.0.0.1:6969/announce']]);
    expect(meta.comment).toBe('hi');
    expect(meta.createdBy).toBe('me');
    expect(meta.creationDate).toBe(1700000000);
    expect(meta.private).toBe(false);
  });

  it('reads a multi-file torrent, giving each file its offset in the byte space', () => {
    const info = { name: 'folder', 'piece length': 16384, pieces: new Uint8Array(40), files: [{ length: 20000, path: ['a', 'b.txt'] }, { length: 0, path: ['empty'] }, { length: 5, path: ['c'] }] };
    const meta = parseTorrent(torrent(info));
    expect(meta.isDirectory).toBe(true);
    expect(meta.files.map((f) => [f.path.join('/'), f.length, f.offset])).toEqual([
      ['a/b.txt', 20000, 0],
      ['empty', 0, 20000],
      ['c', 5, 20000],
    ]);
    expect(meta.length).toBe(20005);
    expect(meta.pieceCount).toBe(2);
  });

  it('takes the info hash over the original bytes, unsorted keys and all', () => {
    // Keys out of order: a re-encoding would sort them and change the hash.
    const info = 'd4:name1:x6:lengthi1e12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae';
    const bytes = utf8(`d4:info${info}e`);
    const meta = parseTorrent(bytes);
    expect(hex(meta.infoHash.v1)).toBe(sha1(utf8(info)));
    const reencoded = encode(decode(utf8(info), { allowUnsortedKeys: true, dictionaries: 'map' }));
    expect(hex(meta.infoHash.v1)).not.toBe(sha1(reencoded));
    expect(meta.infoBytes).toEqual(utf8(info));
  });

  it('knows the info hashes libtorrent gives real torrents', () => {
    expect(toHex(parseTorrent(readFixture('torrents/webtorrent/sintel.torrent')).infoHash.v1!)).toBe('c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd');
    expect(toHex(parseTorrent(readFixture('torrents/webtorrent/leaves.torrent')).infoHash.v1!)).toBe('d2474e86c95b19b8bcfdb92bc12c9d44667cfa36');
  });

  it('prefers name.utf-8 and path.utf-8 where present', () => {
    const info = { name: 'bad', 'name.utf-8': 'gut', 'piece length': 16384, pieces: new Uint8Array(20), files: [{ length: 1, path: ['x'], 'path.utf-8': ['ü'] }] };
    const meta = parseTorrent(torrent(info));
    expect(meta.name).toBe('gut');
    expect(meta.files[0]!.path).toEqual(['ü']);
  });

  it('reads names that are not UTF-8 with replacement characters, never failing on them', () => {
    const meta = parseTorrent(torrent(singleInfo({ name: Uint8Array.of(0x61, 0xff, 0x62) })));
    expect(meta.name).toBe('a\ufffdb');
  });

  it('reads BEP 27 private only as the integer 1', () => {
    expect(parseTorrent(torrent(singleInfo({ private: 1 }))).private).toBe(true);
    expect(parseTorrent(torrent(singleInfo({ private: 0 }))).private).toBe(false);
    expect(parseTorrent(torrent(singleInfo({ private: '1' }))).private).toBe(false);
  });

  it('reads BEP 47 pad files and attributes, and leaves pads out of duplicate checks', () => {
    const info: Record<string, Encodable> = {
      name: 'd',
      'piece length': 16384,
      pieces: new Uint8Array(60),
      files: [
        { length: 10, path: ['run.sh'], attr: 'x' },
        { length: 16374, path: ['.pad', '16374'], attr: 'p' },
        { length: 10, path: ['b'] },
        { length: 16374, path: ['.pad', '16374'], attr: 'p' },
        { length: 0, path: ['link'], attr: 'l', 'symlink path': ['run.sh'] },
        { length: 1, path: ['c'], attr: 'hx' },
      ],
    };
    const meta = parseTorrent(torrent(info));
    expect(meta.files.map((f) => [f.attributes, f.padding, f.offset])).toEqual([
      ['x', false, 0],
      ['p', true, 10],
      ['', false, 16384],
      ['p', true, 16394],
      ['l', false, 32768],
      ['hx', false, 32768],
    ]);
    expect(meta.files[4]!.symlinkPath).toEqual(['run.sh']);
  });
});

describe('parseTorrent: trackers and web seeds (BEP 12, BEP 19)', () => {
  it('prefers announce-list tiers over announce, dropping empties and duplicates', () => {
    const meta = parseTorrent(torrent(singleInfo(), { announce: 'http://a/', 'announce-list': [['http://b/', 'http://c/'], [], ['http://b/', ' http://d/ '], [42]] }));
    expect(meta.announce).toEqual([['http://b/', 'http://c/'], ['http://d/']]);
  });

  it('falls back to announce when announce-list holds no URL', () => {
    expect(parseTorrent(torrent(singleInfo(), { announce: 'http://a/', 'announce-list': [] })).announce).toEqual([['http://a/']]);
    expect(parseTorrent(torrent(singleInfo())).announce).toEqual([]);
  });

  it('reads url-list as a string or a list', () => {
    expect(parseTorrent(torrent(singleInfo(), { 'url-list': 'http://w/' })).urlList).toEqual(['http://w/']);
    expect(parseTorrent(torrent(singleInfo(), { 'url-list': ['http://w/', '', 'http://v/', 'http://w/'] })).urlList).toEqual(['http://w/', 'http://v/']);
    expect(parseTorrent(torrent(singleInfo(), { 'url-list': 7 })).urlList).toEqual([]);
  });

  it('skips oddly typed optional fields instead of refusing the torrent', () => {
    const meta = parseTorrent(torrent(singleInfo(), { comment: 5, 'created by': ['x'], 'creation date': 'yesterday', announce: 9 }));
    expect(meta.comment).toBeUndefined();
    expect(meta.createdBy).toBeUndefined();
    expect(meta.creationDate).toBeUndefined();
    expect(meta.announce).toEqual([]);
  });
});

describe('parseTorrent: v2 and hybrid (BEP 52)', () => {
  it('reads a v2-only torrent, each file on a piece boundary, with verified piece layers', () => {
    const meta = parseTorrent(readFixture('torrents/libtorrent/v2-multi.torrent'));
    expect(meta.version).toBe(2);
    expect(meta.infoHash.v1).toBeNull();
    expect(meta.pieces).toBeNull();
    expect(meta.files.every((f) => f.offset % meta.pieceLength === 0)).toBe(true);
    expect(meta.files.every((f) => !f.padding)).toBe(true);
    const big = meta.files.filter((f) => f.length > meta.pieceLength);
    expect(big.length).toBeGreaterThan(0);
    for (const file of big) expect(meta.pieceLayers!.get(toHex(file.piecesRoot!))).toHaveLength(Math.ceil(file.length / meta.pieceLength) * 32);
    expect(meta.files.filter((f) => f.length === 0).every((f) => f.piecesRoot === undefined)).toBe(true);
  });

  it('keeps the file tree order of number-like names ("10" before "2")', () => {
    const meta = parseTorrent(readFixture('torrents/libtorrent/v2-multi.torrent'));
    const numbers = meta.files.filter((f) => f.path[0] === 'numbers').map((f) => f.path[1]);
    expect(numbers).toEqual(['10', '2']);
  });

  it('reads a hybrid torrent: v1 files with pads, v2 roots attached, both hashes', () => {
    const meta = parseTorrent(readFixture('torrents/libtorrent/hybrid-multi.torrent'));
    expect(meta.version).toBe('hybrid');
    expect(meta.infoHash.v1).toHaveLength(20);
    expect(meta.infoHash.v2).toHaveLength(32);
    expect(hex(meta.infoHash.v2)).toBe(createHash('sha256').update(meta.infoBytes).digest('hex'));
    expect(meta.files.some((f) => f.padding)).toBe(true);
    expect(meta.files.filter((f) => !f.padding && f.length > 0).every((f) => f.piecesRoot?.length === 32)).toBe(true);
  });

  it('checks piece layers padded with a piece-sized zero subtree (32 KiB pieces)', () => {
    const meta = parseTorrent(readFixture('torrents/libtorrent/v2-multi-32k-private.torrent'));
    expect(meta.pieceLength).toBe(32768);
    expect(meta.pieceLayers!.size).toBeGreaterThan(0);
    expect(meta.private).toBe(true);
  });

  it('names a single-file v2 torrent after its one file', () => {
    const meta = parseTorrent(readFixture('torrents/libtorrent/v2-single.torrent'));
    expect(meta.isDirectory).toBe(false);
    expect(meta.files.map((f) => f.path)).toEqual([['single.bin']]);
    expect(meta.name).toBe('single.bin');
  });

  it('parseInfoDictionary reads the info dictionary alone (BEP 9 metadata), without piece layers', () => {
    const whole = parseTorrent(readFixture('torrents/libtorrent/hybrid-multi.torrent'));
    const meta = parseInfoDictionary(whole.infoBytes);
    expect(hex(meta.infoHash.v1)).toBe(hex(whole.infoHash.v1));
    expect(hex(meta.infoHash.v2)).toBe(hex(whole.infoHash.v2));
    expect(meta.files).toEqual(whole.files);
    expect(meta.pieceLayers!.size).toBe(0);
    expect(meta.announce).toEqual([]);
  });
});
