import { describe, expect, it } from 'vitest';
import { BencodeError, decode, decodeFirst, decodeWithSpans, keyBytes, type BencodeDictionary } from '../src/index.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (u: unknown) => new TextDecoder().decode(u as Uint8Array);

function codeOf(fn: () => unknown): { code: string; offset: number | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof BencodeError) return { code: error.code, offset: error.offset };
    throw error;
  }
  throw new Error('expected a BencodeError');
}

describe('decode (BEP 3)', () => {
  it('decodes integers as numbers while safe', () => {
    expect(decode(bytes('i0e'))).toBe(0);
    expect(decode(bytes('i42e'))).toBe(42);
    expect(decode(bytes('i-42e'))).toBe(-42);
    expect(decode(bytes('i9007199254740991e'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decode(bytes('i-9007199254740991e'))).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('decodes integers beyond 2^53 as bigint, exactly', () => {
    expect(decode(bytes('i9007199254740992e'))).toBe(9007199254740992n);
    expect(decode(bytes('i-123456789012345678901234567890e'))).toBe(-123456789012345678901234567890n);
    // 16 digits but still safe: stays a number
    expect(decode(bytes('i1000000000000000e'))).toBe(1e15);
  });

  it('decodes byte strings as views into the input', () => {
    const input = bytes('4:spam');
    const value = decode(input) as Uint8Array;
    expect(text(value)).toBe('spam');
    expect(value.buffer).toBe(input.buffer);
    expect(decode(bytes('0:'))).toEqual(new Uint8Array(0));
  });

  it('copies byte strings with copy: true', () => {
    const input = bytes('4:spam');
    const value = decode(input, { copy: true }) as Uint8Array;
    expect(value.buffer).not.toBe(input.buffer);
    input[2] = 0x53;
    expect(text(value)).toBe('spam');
  });

  it('decodes lists and dictionaries', () => {
    const value = decode(bytes('d3:cow3:moo4:spaml1:a1:bi3eee')) as BencodeDictionary;
    expect(Object.keys(value)).toEqual(['cow', 'spam']);
    expect(text(value.cow)).toBe('moo');
    const list = value.spam as unknown[];
    expect(list.map((v) => (v instanceof Uint8Array ? text(v) : v))).toEqual(['a', 'b', 3]);
    expect(decode(bytes('le'))).toEqual([]);
    expect(decode(bytes('de'))).toEqual({});
  });

  it('decodes dictionaries as Maps on request', () => {
    const value = decode(bytes('d1:ai1e1:bi2ee'), { dictionaries: 'map' });
    expect(value).toBeInstanceOf(Map);
    expect([...(value as Map<string, unknown>).entries()]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const value = decode(bytes('d9:__proto__d1:xi1eee')) as BencodeDictionary;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reads UTF-8 keys as text and keeps the bytes of keys that are not UTF-8', () => {
    const value = decode(bytes('d6:été!i1ee')) as BencodeDictionary;
    expect(Object.keys(value)).toEqual(['été!']);
    const binary = decode(latin1('d2:\xff\xfei1ee')) as BencodeDictionary;
    const [key] = Object.keys(binary);
    expect(keyBytes(binary, key!)).toEqual(Uint8Array.of(0xff, 0xfe));
  });

  it('accepts unsorted keys only with allowUnsortedKeys', () => {
    expect(codeOf(() => decode(bytes('d1:bi1e1:ai2ee')))).toEqual({ code: 'BENCODE_UNSORTED_KEYS', offset: 7 });
    expect(decode(bytes('d1:bi1e1:ai2ee'), { allowUnsortedKeys: true })).toEqual({ b: 1, a: 2 });
  });

  it('rejects duplicate keys in strict and lenient modes', () => {
    expect(codeOf(() => decode(bytes('d1:ai1e1:ai2ee')))).toEqual({ code: 'BENCODE_DUPLICATE_KEY', offset: 7 });
    expect(codeOf(() => decode(bytes('d1:ai1e1:bi1e1:ai2ee'), { allowUnsortedKeys: true })).code).toBe('BENCODE_DUPLICATE_KEY');
  });
});

describe('decode errors: one code each, with the byte offset', () => {
  const cases: [string, string | Uint8Array, string, number, object?][] = [
    ['empty input', '', 'BENCODE_UNEXPECTED_END', 0],
    ['end inside an integer', 'i12', 'BENCODE_UNEXPECTED_END', 3],
    ['end inside a list', 'li1e', 'BENCODE_UNEXPECTED_END', 4],
    ['end inside a dictionary', 'd1:a', 'BENCODE_UNEXPECTED_END', 4],
    ['end inside a length prefix', '12', 'BENCODE_UNEXPECTED_END', 2],
    ['a stray byte', 'x', 'BENCODE_UNEXPECTED_BYTE', 0],
    ['a stray byte in a list', 'l-e', 'BENCODE_UNEXPECTED_BYTE', 1],
    ['a stray byte as a key', 'd:e', 'BENCODE_UNEXPECTED_BYTE', 1],
    ['an empty integer', 'ie', 'BENCODE_EMPTY_INTEGER', 0],
    ['a minus with no digits', 'i-e', 'BENCODE_EMPTY_INTEGER', 0],
    ['a leading zero', 'i03e', 'BENCODE_LEADING_ZERO', 1],
    ['a negative leading zero', 'i-03e', 'BENCODE_LEADING_ZERO', 2],
    ['negative zero', 'i-0e', 'BENCODE_NEGATIVE_ZERO', 0],
    ['a letter in an integer', 'i1x2e', 'BENCODE_INVALID_INTEGER', 2],
    ['a plus sign', 'i+1e', 'BENCODE_INVALID_INTEGER', 1],
    ['a length prefix with a letter', '1x:a', 'BENCODE_INVALID_LENGTH', 1],
    ['a length prefix with a leading zero', '01:a', 'BENCODE_LEADING_ZERO', 0],
    ['a length beyond the input', '5:abc', 'BENCODE_LENGTH_EXCEEDS_INPUT', 0],
    ['a length prefix of 2^40', '1099511627776:x', 'BENCODE_LENGTH_EXCEEDS_INPUT', 0],
    ['a length prefix of 30 digits', '123456789012345678901234567890:x', 'BENCODE_LENGTH_EXCEEDS_INPUT', 0],
    ['a string over maxLength', '5:abcde', 'BENCODE_LENGTH_LIMIT', 0, { maxLength: 4 }],
    ['unsorted keys', 'd1:bi1e1:ai1ee', 'BENCODE_UNSORTED_KEYS', 7],
    ['a duplicate key', 'd1:ai1e1:ai1ee', 'BENCODE_DUPLICATE_KEY', 7],
    ['an integer key', 'di1ei1ee', 'BENCODE_KEY_NOT_STRING', 1],
    ['a list key', 'dlei1ee', 'BENCODE_KEY_NOT_STRING', 1],
    ['nesting beyond maxDepth', 'llllleeeee', 'BENCODE_MAX_DEPTH', 3, { maxDepth: 3 }],
    ['trailing bytes', 'i1ei2e', 'BENCODE_TRAILING_BYTES', 3],
  ];

  it.each(cases)('%s', (_name, input, code, offset, options) => {
    const data = typeof input === 'string' ? bytes(input) : input;
    expect(codeOf(() => decode(data, options))).toEqual({ code, offset });
  });

  it('reports two keys that read alike (one not UTF-8) as a collision', () => {
    // 0xe9 alone is not UTF-8 and reads as Latin-1 "é"; "é" in UTF-8 is 0xc3 0xa9.
    const input = Uint8Array.of(...bytes('d2:'), 0xc3, 0xa9, ...bytes('i1e1:'), 0xe9, ...bytes('i2ee'));
    expect(codeOf(() => decode(input)).code).toBe('BENCODE_KEY_COLLISION');
  });

  it('survives 100,000 levels of nesting with a clear error, not a stack overflow', () => {
    const deep = bytes('l'.repeat(100_000) + 'e'.repeat(100_000));
    expect(codeOf(() => decode(deep))).toEqual({ code: 'BENCODE_MAX_DEPTH', offset: 1000 });
    const deepDicts = bytes('d1:a'.repeat(100_000) + 'i1e' + 'e'.repeat(100_000));
    expect(codeOf(() => decode(deepDicts)).code).toBe('BENCODE_MAX_DEPTH');
    // Even a maxDepth far beyond the stack ends in our error.
    expect(codeOf(() => decode(deep, { maxDepth: 1_000_000 })).code).toBe('BENCODE_MAX_DEPTH');
  });

  it('rejects a non-Uint8Array input with a TypeError', () => {
    expect(() => decode('i1e' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('gives BencodeError a fixed name, the code and the offset in the message', () => {
    try {
      decode(bytes('i03e'));
    } catch (error) {
      expect(error).toBeInstanceOf(BencodeError);
      expect((error as BencodeError).name).toBe('BencodeError');
      expect((error as BencodeError).message).toContain('byte 1');
    }
  });
});

describe('decodeFirst', () => {
  it('decodes one value and says where it ends (BEP 9 data messages)', () => {
    const input = bytes('d8:msg_typei1e5:piecei0eeRAWDATA');
    const { value, end } = decodeFirst(input);
    expect(value).toEqual({ msg_type: 1, piece: 0 });
    expect(text(input.subarray(end))).toBe('RAWDATA');
  });
});

describe('decodeWithSpans', () => {
  it('gives the exact original bytes of the info dictionary, even when keys are unsorted', () => {
    const info = 'd4:name1:b6:lengthi1ee';
    const input = bytes(`d8:announce3:url4:info${info}e`);
    const { value, raw, span } = decodeWithSpans(input, { allowUnsortedKeys: true });
    const dict = value as BencodeDictionary;
    expect(text(raw(dict.info as object))).toBe(info);
    expect(span(dict)).toEqual({ start: 0, end: input.length });
    expect(span(dict.announce as object)).toEqual({ start: 11, end: 16 });
  });

  it('has no span for numbers or for objects it did not decode', () => {
    const { span } = decodeWithSpans(bytes('li1ee'));
    expect(span({})).toBeUndefined();
  });
});

describe('UTF-8 validation of keys', () => {
  it('agrees with a fatal TextDecoder on random bytes', async () => {
    const { isUtf8 } = await import('../src/internal/keys.js');
    const fc = (await import('fast-check')).default;
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        fatal.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    const biased = fc.uint8Array({ maxLength: 12 }).map((b) => b.map((x, i) => (i % 3 === 0 ? x : 0x80 | (x & 0x3f))));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 12 }), biased, fc.string().map((s) => new TextEncoder().encode(s))), (b) => isUtf8(b) === valid(b)), { numRuns: 20_000 });
    for (const edge of [[0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0x80], [0xc0, 0x80], [0xf0, 0x9f, 0x98, 0x80], [0xe2, 0x82]]) {
      expect(isUtf8(Uint8Array.from(edge))).toBe(valid(Uint8Array.from(edge)));
    }
  });
});

describe('decodeWithSpans spanDepth', () => {
  it('records container spans only down to spanDepth, and byte string spans always', () => {
    const input = bytes('d4:infod5:filesld6:lengthi1eeee4:name1:xe');
    const { value, span } = decodeWithSpans(input, { spanDepth: 2 });
    const dict = value as BencodeDictionary;
    const info = dict.info as BencodeDictionary;
    expect(span(dict)).toEqual({ start: 0, end: input.length });
    expect(span(info)).toEqual({ start: 7, end: 31 });
    expect(span(info.files as object)).toBeUndefined();
    expect(span(dict.name as object)).toEqual({ start: 37, end: 40 });
  });
});
