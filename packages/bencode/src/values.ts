import type { BencodeDictionary, BencodeValue } from './types.js';

const utf8 = new TextDecoder('utf-8');

/** True for a dictionary decoded as a plain object (not a list, byte string, number or Map). */
export function isDictionary(value: BencodeValue | undefined): value is BencodeDictionary {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) && !(value instanceof Map);
}

/** A byte string read as UTF-8 text (invalid sequences become U+FFFD); `undefined` for anything else. */
export function text(value: BencodeValue | undefined): string | undefined {
  return value instanceof Uint8Array ? utf8.decode(value) : undefined;
}
