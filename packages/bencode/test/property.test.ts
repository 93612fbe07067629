import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BencodeError, decode, decodeWithSpans, encode, type BencodeValue } from '../src/index.js';

// Values as decode returns them: bytes, integers (number when safe, bigint beyond), lists,
// dictionaries with arbitrary (including non-UTF-8) keys.
const integer = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.bigInt().filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)),
);
const value: fc.Arbitrary<BencodeValue> = fc.letrec<{ value: BencodeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 40 }),
    integer,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('bencode round trips (fast-check)', () => {
  it('decode(encode(v)) equals v', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(decode(encode(v))).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('encode(decode(b)) gives back b for canonical bytes', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encode(v);
        expect(encode(decode(bytes))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('keys that are not UTF-8 round-trip to the same bytes', () => {
    const binaryKeyDict = fc
      .uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 6 }), { maxLength: 6, selector: (k) => Buffer.from(k).toString('hex') })
      .map((keys) => new Map<Uint8Array, BencodeValue>(keys.map((k, i) => [k, i])));
    fc.assert(
      fc.property(binaryKeyDict, (map) => {
        let bytes: Uint8Array;
        try {
          bytes = encode(map);
        } catch (error) {
          // two different byte keys can read as the same text only via Map byte keys; skip
          if (error instanceof BencodeError) return;
          throw error;
        }
        let decoded: BencodeValue;
        try {
          decoded = decode(bytes);
        } catch (error) {
          // a UTF-8 key and a Latin-1-read key that read alike: reported, never silently merged
          if (error instanceof BencodeError && error.code === 'BENCODE_KEY_COLLISION') return;
          throw error;
        }
        expect(encode(decoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('every list, dictionary and string span re-encodes to its own bytes', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (list) => {
        const bytes = encode(list);
        const { value: decoded, raw } = decodeWithSpans(bytes);
        for (const item of decoded as BencodeValue[]) {
          if (typeof item === 'object') expect(raw(item)).toEqual(encode(item));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes only ever produce a BencodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decode(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(BencodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('random bytes built from bencode tokens only ever produce a BencodeError', () => {
    const token = fc.constantFrom('i', 'e', 'l', 'd', '0', '1', '9', ':', '-', '3:abc', 'i1e', '1:a');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const bytes = new TextEncoder().encode(tokens.join(''));
        for (const options of [{}, { allowUnsortedKeys: true }, { dictionaries: 'map' as const }]) {
          try {
            decode(bytes, options);
          } catch (error) {
            expect(error).toBeInstanceOf(BencodeError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
