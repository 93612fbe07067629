import { describe, expect, it } from 'vitest';
import { BencodeError, decode, encode, type Encodable } from '../src/index.js';

const text = (u: Uint8Array) => new TextDecoder().decode(u);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function failure(value: unknown): { code: string; path: string | undefined } {
  try {
    encode(value as Encodable);
  } catch (error) {
    if (error instanceof BencodeError) return { code: error.code, path: error.path };
    throw error;
  }
  throw new Error('expected a BencodeError');
}

describe('encode', () => {
  it('writes the BEP 3 examples', () => {
    expect(text(encode('spam'))).toBe('4:spam');
    expect(text(encode(3))).toBe('i3e');
    expect(text(encode(-3))).toBe('i-3e');
    expect(text(encode(0))).toBe('i0e');
    expect(text(encode(-0))).toBe('i0e');
    expect(text(encode(['spam', 'eggs']))).toBe('l4:spam4:eggse');
    expect(text(encode({ cow: 'moo', spam: 'eggs' }))).toBe('d3:cow3:moo4:spam4:eggse');
    expect(text(encode({ spam: ['a', 'b'] }))).toBe('d4:spaml1:a1:bee');
    expect(text(encode(''))).toBe('0:');
  });

  it('writes bigints exactly', () => {
    expect(text(encode(2n ** 64n))).toBe('i18446744073709551616e');
    expect(text(encode(-(2n ** 70n)))).toBe('i-1180591620717411303424e');
  });

  it('sorts keys by their raw bytes, not by insertion or UTF-16 order', () => {
    expect(text(encode({ b: 1, a: 2, ab: 3, B: 4 }))).toBe('d1:Bi4e1:ai2e2:abi3e1:bi1ee');
    // In UTF-16 U+1F600 (0xD83D 0xDE00) sorts before U+FF5E; in UTF-8 (0xF0... vs 0xEF...) after.
    const out = text(encode({ '\u{1F600}': 1, '\uFF5E': 2 }));
    expect(out.indexOf('\uFF5E')).toBeLessThan(out.indexOf('\u{1F600}'));
  });

  it('writes strings as UTF-8 with a byte length', () => {
    expect(encode('été')).toEqual(new Uint8Array([0x35, 0x3a, 0xc3, 0xa9, 0x74, 0xc3, 0xa9]));
  });

  it('encodes Maps, with string or byte keys, sorted by bytes', () => {
    const map = new Map<string | Uint8Array, Encodable>([
      ['b', 1],
      [Uint8Array.of(0x61), 2],
    ]);
    expect(text(encode(map))).toBe('d1:ai2e1:bi1ee');
  });

  it('round-trips keys that are not UTF-8 to the same bytes', () => {
    const input = latin1('d2:\xff\xfei1e1:ai2ee');
    // 'a' (0x61) sorts before 0xff in raw bytes, so canonical order puts it first
    const canonical = latin1('d1:ai2e2:\xff\xfei1ee');
    expect(encode(decode(input, { allowUnsortedKeys: true }))).toEqual(canonical);
    expect(encode(decode(canonical))).toEqual(canonical);
  });

  it('returns bytes the caller owns and never touches its input', () => {
    const payload = Uint8Array.of(1, 2, 3);
    const out = encode({ x: payload });
    out.fill(0);
    expect(payload).toEqual(Uint8Array.of(1, 2, 3));
  });

  it.each([
    ['NaN', NaN, 'BENCODE_NOT_INTEGER'],
    ['Infinity', Infinity, 'BENCODE_NOT_INTEGER'],
    ['a fraction', 1.5, 'BENCODE_NOT_INTEGER'],
    ['2^53', 2 ** 53, 'BENCODE_NOT_INTEGER'],
    ['undefined', undefined, 'BENCODE_UNSUPPORTED_TYPE'],
    ['null', null, 'BENCODE_UNSUPPORTED_TYPE'],
    ['a boolean', true, 'BENCODE_UNSUPPORTED_TYPE'],
    ['a function', () => 1, 'BENCODE_UNSUPPORTED_TYPE'],
    ['a symbol', Symbol('x'), 'BENCODE_UNSUPPORTED_TYPE'],
    ['a Date', new Date(0), 'BENCODE_UNSUPPORTED_TYPE'],
    ['an ArrayBuffer', new ArrayBuffer(4), 'BENCODE_UNSUPPORTED_TYPE'],
    ['a Uint16Array', new Uint16Array(2), 'BENCODE_UNSUPPORTED_TYPE'],
  ])('rejects %s', (_name, value, code) => {
    expect(failure(value).code).toBe(code);
  });

  it('names the path of the value it could not encode', () => {
    expect(failure({ info: { files: [{ length: 1 }, { length: 1.5 }] } })).toEqual({ code: 'BENCODE_NOT_INTEGER', path: 'info.files[1].length' });
    expect(failure({ 'a b': [undefined] })).toEqual({ code: 'BENCODE_UNSUPPORTED_TYPE', path: '["a b"][0]' });
  });

  it('rejects cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(failure(a)).toEqual({ code: 'BENCODE_CYCLE', path: 'self' });
    const list: unknown[] = [];
    list.push([list]);
    expect(failure(list).code).toBe('BENCODE_CYCLE');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(text(encode([shared, shared]))).toBe('ld1:xi1eed1:xi1eee');
  });

  it('rejects a Map with two keys of the same bytes', () => {
    const map = new Map<string | Uint8Array, Encodable>([
      ['a', 1],
      [Uint8Array.of(0x61), 2],
    ]);
    expect(failure(map).code).toBe('BENCODE_DUPLICATE_KEY');
  });
});
