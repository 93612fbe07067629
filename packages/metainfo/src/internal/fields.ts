// Typed reads of decoded bencode (dictionaries decoded as Maps, which keep file order even
// for keys like "2" and "10" that a plain object would reorder).
import type { BencodeMap, BencodeValue } from '@gtorr/bencode';
import { MetainfoError, type MetainfoErrorCode } from '../errors.js';

const utf8 = new TextDecoder('utf-8');

export function isMap(value: BencodeValue | undefined): value is BencodeMap {
  return value instanceof Map;
}

/** A byte string as text; invalid UTF-8 sequences become U+FFFD. */
export function asText(value: BencodeValue | undefined): string | undefined {
  return value instanceof Uint8Array ? utf8.decode(value) : undefined;
}

export function bytesToText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** The `.utf-8` variant of a text field where present and a byte string, else the field itself. */
export function preferUtf8(dict: BencodeMap, key: string): BencodeValue | undefined {
  const utf8Value = dict.get(`${key}.utf-8`);
  return utf8Value instanceof Uint8Array || Array.isArray(utf8Value) ? utf8Value : dict.get(key);
}

export function fail(code: MetainfoErrorCode, message: string, field: string): never {
  throw new MetainfoError(code, message, { field });
}

/** A safe, non-negative integer, or a `code` error naming `field`. */
export function readLength(value: BencodeValue | undefined, code: MetainfoErrorCode, field: string): number {
  if (value === undefined) fail(code, 'missing length', field);
  if (typeof value === 'bigint') fail(code, `length ${value} is beyond 2^53`, field);
  if (typeof value !== 'number') fail(code, 'length is not an integer', field);
  if (value < 0) fail(code, `length ${value} is negative`, field);
  return value;
}

/** Adds lengths while the sum stays a safe integer. */
export function addLength(total: number, length: number, code: MetainfoErrorCode, field: string): number {
  const sum = total + length;
  if (!Number.isSafeInteger(sum)) fail(code, 'total length is beyond 2^53', field);
  return sum;
}
