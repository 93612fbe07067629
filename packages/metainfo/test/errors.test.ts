import { type BencodeMap, encode, type Encodable } from '@gtorr/bencode';
import { describe, expect, it } from 'vitest';
import { MetainfoError, MetainfoErrorCode, parseInfoDictionary, parseMagnet, parseInfoHash, parseTorrent } from '../src/index.js';
import { codeOf, fixtureMap, infoOf, singleInfo, torrent } from './helpers.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const root = new Uint8Array(32).fill(7);
const v2Info = (tree: Encodable, extra: Record<string, Encodable> = {}) => ({ name: 'x', 'meta version': 2, 'piece length': 16384, 'file tree': tree, ...extra });
const multi = (files: Encodable[], pieces = 1) => ({ name: 'd', 'piece length': 16384, pieces: new Uint8Array(20 * pieces), files });

/** A fixture changed by `edit` and encoded again. */
function edited(file: string, edit: (torrent: BencodeMap) => void): Uint8Array {
  const map = fixtureMap(file);
  edit(map);
  return encode(map);
}

const firstLayer = (t: BencodeMap) => {
  const layers = t.get('piece layers') as BencodeMap;
  return [layers, [...layers.keys()][0]!] as const;
};

// [what, input, code]: every code has at least one row.
const cases: [string, () => unknown, string][] = [
  ['random text', () => parseTorrent(utf8('hello')), 'METAINFO_BAD_BENCODE'],
  ['trailing bytes', () => parseTorrent(utf8('de!')), 'METAINFO_BAD_BENCODE'],
  ['an integer at the top', () => parseTorrent(utf8('i1e')), 'METAINFO_NOT_A_DICTIONARY'],
  ['no info', () => parseTorrent(encode({ announce: 'x' })), 'METAINFO_MISSING_INFO'],
  ['info a list', () => parseTorrent(encode({ info: [] })), 'METAINFO_MISSING_INFO'],
  ['info dictionary not a dictionary', () => parseInfoDictionary(utf8('le')), 'METAINFO_MISSING_INFO'],
  ['no name', () => parseTorrent(torrent(singleInfo({ name: 1 }))), 'METAINFO_BAD_NAME'],
  ['name ..', () => parseTorrent(torrent(singleInfo({ name: '..' }))), 'METAINFO_BAD_NAME'],
  ['name with a slash', () => parseTorrent(torrent(singleInfo({ name: 'a/b' }))), 'METAINFO_BAD_NAME'],
  ['piece length 0', () => parseTorrent(torrent(singleInfo({ 'piece length': 0 }))), 'METAINFO_BAD_PIECE_LENGTH'],
  ['piece length negative', () => parseTorrent(torrent(singleInfo({ 'piece length': -16384 }))), 'METAINFO_BAD_PIECE_LENGTH'],
  ['piece length a string', () => parseTorrent(torrent(singleInfo({ 'piece length': '16384' }))), 'METAINFO_BAD_PIECE_LENGTH'],
  ['v2 piece length not a power of two', () => parseTorrent(torrent(v2Info({ x: { '': { length: 1, 'pieces root': root } } }, { 'piece length': 20000 }))), 'METAINFO_BAD_PIECE_LENGTH'],
  ['v2 piece length under 16 KiB', () => parseTorrent(torrent(v2Info({ x: { '': { length: 1, 'pieces root': root } } }, { 'piece length': 8192 }))), 'METAINFO_BAD_PIECE_LENGTH'],
  ['pieces missing', () => parseTorrent(torrent(singleInfo({ pieces: 5 }))), 'METAINFO_BAD_PIECES'],
  ['pieces 21 bytes', () => parseTorrent(torrent(singleInfo({ pieces: new Uint8Array(21) }))), 'METAINFO_BAD_PIECES'],
  ['one hash too many', () => parseTorrent(torrent(singleInfo({ pieces: new Uint8Array(40) }))), 'METAINFO_BAD_PIECES'],
  ['one hash too few', () => parseTorrent(torrent(singleInfo({ pieces: new Uint8Array(20) }, 16385))), 'METAINFO_BAD_PIECES'],
  ['negative length', () => parseTorrent(torrent(singleInfo({ length: -1 }))), 'METAINFO_BAD_LENGTH'],
  ['length 2^53', () => parseTorrent(torrent(singleInfo({ length: 2n ** 53n }))), 'METAINFO_BAD_LENGTH'],
  ['length a string', () => parseTorrent(torrent(singleInfo({ length: '1' }))), 'METAINFO_BAD_LENGTH'],
  ['file lengths summing past 2^53', () => parseTorrent(torrent(multi([{ length: 2 ** 52, path: ['a'] }, { length: 2 ** 52, path: ['b'] }]))), 'METAINFO_BAD_LENGTH'],
  ['both length and files', () => parseTorrent(torrent(singleInfo({ files: [] }))), 'METAINFO_BAD_FILES'],
  ['neither length nor files', () => parseTorrent(torrent({ name: 'x', 'piece length': 16384, pieces: new Uint8Array(0) })), 'METAINFO_BAD_FILES'],
  ['files empty', () => parseTorrent(torrent(multi([], 0))), 'METAINFO_BAD_FILES'],
  ['files not a list', () => parseTorrent(torrent({ ...multi([]), files: 'a' })), 'METAINFO_BAD_FILES'],
  ['file entry a string', () => parseTorrent(torrent(multi(['a']))), 'METAINFO_BAD_FILES'],
  ['path ..', () => parseTorrent(torrent(multi([{ length: 1, path: ['..', 'x'] }]))), 'METAINFO_BAD_PATH'],
  ['path absolute', () => parseTorrent(torrent(multi([{ length: 1, path: ['/etc/passwd'] }]))), 'METAINFO_BAD_PATH'],
  ['path empty list', () => parseTorrent(torrent(multi([{ length: 1, path: [] }]))), 'METAINFO_BAD_PATH'],
  ['path component an integer', () => parseTorrent(torrent(multi([{ length: 1, path: [1] }]))), 'METAINFO_BAD_PATH'],
  ['path with a NUL', () => parseTorrent(torrent(multi([{ length: 1, path: ['a\u0000b'] }]))), 'METAINFO_BAD_PATH'],
  ['symlink without a target', () => parseTorrent(torrent(multi([{ length: 0, path: ['l'], attr: 'l' }], 0))), 'METAINFO_BAD_PATH'],
  ['v2 key ..', () => parseTorrent(torrent(v2Info({ '..': { x: { '': { length: 1, 'pieces root': root } } } }))), 'METAINFO_BAD_PATH'],
  ['duplicate path', () => parseTorrent(torrent(multi([{ length: 1, path: ['a'] }, { length: 1, path: ['a'] }]))), 'METAINFO_DUPLICATE_PATH'],
  ['a folder that is also a file', () => parseTorrent(torrent(multi([{ length: 1, path: ['a', 'b'] }, { length: 1, path: ['a'] }]))), 'METAINFO_DUPLICATE_PATH'],
  ['duplicate only once sanitised', () => parseTorrent(torrent(multi([{ length: 1, path: ['a\u0001'] }, { length: 1, path: ['a\u0002'] }]))), 'METAINFO_DUPLICATE_PATH'],
  ['meta version 3', () => parseTorrent(torrent(v2Info({}, { 'meta version': 3 }))), 'METAINFO_BAD_META_VERSION'],
  ['meta version a string', () => parseTorrent(torrent(v2Info({}, { 'meta version': '2' }))), 'METAINFO_BAD_META_VERSION'],
  ['v2 without a file tree', () => parseTorrent(torrent(v2Info(5))), 'METAINFO_BAD_FILE_TREE'],
  ['v2 file tree with no file', () => parseTorrent(torrent(v2Info({ a: {} }))), 'METAINFO_BAD_FILE_TREE'],
  ['v2 file node with a sibling key', () => parseTorrent(torrent(v2Info({ a: { '': { length: 1, 'pieces root': root }, b: {} } }))), 'METAINFO_BAD_FILE_TREE'],
  ['v2 empty key at the root', () => parseTorrent(torrent(v2Info({ '': { length: 1 } }))), 'METAINFO_BAD_FILE_TREE'],
  ['v2 entry not a dictionary', () => parseTorrent(torrent(v2Info({ a: 1 }))), 'METAINFO_BAD_FILE_TREE'],
  ['v2 file without a pieces root', () => parseTorrent(torrent(v2Info({ a: { '': { length: 1 } } }))), 'METAINFO_BAD_PIECES_ROOT'],
  ['v2 pieces root of 20 bytes', () => parseTorrent(torrent(v2Info({ a: { '': { length: 1, 'pieces root': new Uint8Array(20) } } }))), 'METAINFO_BAD_PIECES_ROOT'],
  ['v2 negative length', () => parseTorrent(torrent(v2Info({ a: { '': { length: -5, 'pieces root': root } } }))), 'METAINFO_BAD_LENGTH'],
  ['piece layers missing', () => parseTorrent(edited('torrents/libtorrent/v2-multi.torrent', (t) => t.delete('piece layers'))), 'METAINFO_BAD_PIECE_LAYERS'],
  ['piece layer for a file missing', () => parseTorrent(edited('torrents/libtorrent/v2-multi.torrent', (t) => { const [l, k] = firstLayer(t); l.delete(k); })), 'METAINFO_BAD_PIECE_LAYERS'],
  ['piece layer one hash short', () => parseTorrent(edited('torrents/libtorrent/v2-multi.torrent', (t) => { const [l, k] = firstLayer(t); l.set(k, (l.get(k) as Uint8Array).subarray(32)); })), 'METAINFO_BAD_PIECE_LAYERS'],
  ['piece layer with one bit flipped', () => parseTorrent(edited('torrents/libtorrent/v2-multi.torrent', (t) => { const [l, k] = firstLayer(t); const b = (l.get(k) as Uint8Array).slice(); b[0]! ^= 1; l.set(k, b); })), 'METAINFO_BAD_PIECE_LAYERS'],
  ['piece layer with 32 KiB pieces corrupted', () => parseTorrent(edited('torrents/libtorrent/v2-multi-32k-private.torrent', (t) => { const [l, k] = firstLayer(t); const b = (l.get(k) as Uint8Array).slice(); b[b.length - 1]! ^= 1; l.set(k, b); })), 'METAINFO_BAD_PIECE_LAYERS'],
  ['hybrid with a v1 length changed', () => parseTorrent(edited('torrents/libtorrent/hybrid-multi.torrent', (t) => { const files = infoOf(t).get('files') as BencodeMap[]; files[0]!.set('length', 301); files[1]!.set('length', 16083); })), 'METAINFO_HYBRID_MISMATCH'],
  ['hybrid with a v1 file renamed', () => parseTorrent(edited('torrents/libtorrent/hybrid-multi.torrent', (t) => { const files = infoOf(t).get('files') as BencodeMap[]; files[files.length - 2]!.set('path', [utf8('renamed')]); })), 'METAINFO_HYBRID_MISMATCH'],
  ['hybrid without its pad files', () => parseTorrent(edited('torrents/libtorrent/hybrid-multi.torrent', (t) => {
    const info = infoOf(t);
    const files = (info.get('files') as BencodeMap[]).filter((f) => !(f.get('attr') as Uint8Array | undefined)?.includes(0x70));
    info.set('files', files);
    const total = files.reduce((sum, f) => sum + (f.get('length') as number), 0);
    info.set('pieces', (info.get('pieces') as Uint8Array).subarray(0, 20 * Math.ceil(total / 16384)));
  })), 'METAINFO_HYBRID_MISMATCH'],
  ['more files than maxFiles', () => parseTorrent(torrent(multi([{ length: 1, path: ['a'] }, { length: 1, path: ['b'] }])), { maxFiles: 1 }), 'METAINFO_LIMIT_EXCEEDED'],
  ['more pieces than maxPieces', () => parseTorrent(torrent(singleInfo({}, 16384 * 3)), { maxPieces: 2 }), 'METAINFO_LIMIT_EXCEEDED'],
  ['a piece length over maxPieceLength', () => parseTorrent(torrent(singleInfo({}, 10, 2 ** 20)), { maxPieceLength: 2 ** 19 }), 'METAINFO_LIMIT_EXCEEDED'],
  ['a path deeper than maxPathDepth', () => parseTorrent(torrent(multi([{ length: 1, path: ['a', 'b', 'c'] }])), { maxPathDepth: 2 }), 'METAINFO_LIMIT_EXCEEDED'],
  ['a v2 path deeper than maxPathDepth', () => parseTorrent(torrent(v2Info({ a: { b: { c: { '': { length: 1, 'pieces root': root } } } } })), { maxPathDepth: 2 }), 'METAINFO_LIMIT_EXCEEDED'],
  ['a v2 length of 2^50 in 16 KiB pieces', () => parseInfoDictionary(encode(v2Info({ a: { '': { length: 2 ** 50, 'pieces root': root } } }))), 'METAINFO_LIMIT_EXCEEDED'],
  ['not a magnet', () => parseMagnet('http://example/'), 'METAINFO_BAD_MAGNET'],
  ['a magnet without xt', () => parseMagnet('magnet:?dn=x'), 'METAINFO_BAD_MAGNET'],
  ['a magnet with a bad btih', () => parseMagnet('magnet:?xt=urn:btih:1234'), 'METAINFO_BAD_INFO_HASH'],
  ['an info hash of 39 characters', () => parseInfoHash('a'.repeat(39)), 'METAINFO_BAD_INFO_HASH'],
];

describe('MetainfoError codes', () => {
  it.each(cases)('%s: %s', (_what, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });

  it('has a case for every code', () => {
    const covered = new Set(cases.map(([, , code]) => code));
    expect(Object.values(MetainfoErrorCode).filter((code) => !covered.has(code))).toEqual([]);
  });

  it('is a MetainfoError with a fixed name, the field at fault and, for bad bencode, offset and cause', () => {
    let error: unknown;
    try {
      parseTorrent(utf8('d4:infod4:name9:abe'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetainfoError);
    const bad = error as MetainfoError;
    expect(bad.name).toBe('MetainfoError');
    expect(bad.code).toBe('METAINFO_BAD_BENCODE');
    expect(bad.offset).toBe(14);
    expect((bad.cause as { code: string }).code).toBe('BENCODE_LENGTH_EXCEEDS_INPUT');
    try {
      parseTorrent(torrent(multi([{ length: 1, path: ['ok'] }, { length: 1, path: ['a', '..'] }])));
    } catch (e) {
      expect((e as MetainfoError).field).toBe('info.files[1].path[1]');
    }
    expect.assertions(6);
  });

  it('throws TypeError for a caller that passes no bytes, RangeError for a bad limit', () => {
    expect(() => parseTorrent('d4:infodee' as never)).toThrow(TypeError);
    expect(() => parseTorrent(utf8('de'), { maxFiles: 0 })).toThrow(RangeError);
  });
});
