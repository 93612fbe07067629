// Dictionary keys are byte strings in bencode but strings in JavaScript. Keys that are
// valid UTF-8 (all the keys BEPs define, and nearly all file names) become their text.
// A key that is not valid UTF-8 becomes its bytes read as Latin-1, and the dictionary
// remembers it in a hidden set, so `encode` writes the very same bytes back and
// `keyBytes` can give them to a caller that needs them (v2 file trees key by file name).

import type { BencodeDictionary, BencodeMap } from '../types.js';

/** Hidden marker on decoded dictionaries: the keys that hold Latin-1 read bytes. */
export const BINARY_KEYS: unique symbol = Symbol.for('@gtorr/bencode.binaryKeys');

type Marked = (BencodeDictionary | BencodeMap) & { [BINARY_KEYS]?: Set<string> };

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export interface DecodedKey {
  readonly text: string;
  readonly binary: boolean;
}

/** Reads a key; `binary` says it was not UTF-8 and `text` holds its bytes as Latin-1. */
export function readKey(bytes: Uint8Array, start: number, end: number): DecodedKey {
  // Fast path: short ASCII keys, which are nearly all keys in real torrents.
  if (end - start <= 64) {
    let text = '';
    let i = start;
    for (; i < end; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) break;
      text += String.fromCharCode(b);
    }
    if (i === end) return { text, binary: false };
  }
  const view = bytes.subarray(start, end);
  // Checked by hand: a fatal TextDecoder throws on every binary key (v2 piece layers are
  // keyed by raw hashes), and exceptions are slow.
  return isUtf8(view) ? { text: utf8.decode(view), binary: false } : { text: latin1(view), binary: true };
}

/** Well-formed UTF-8 per RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF. */
export function isUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f; // nothing past U+10FFFF
    } else return false;
    if (i + need >= n) return false;
    const second = bytes[i + 1];
    if (second === undefined || second < min || second > max) return false;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

export function latin1(view: Uint8Array): string {
  let text = '';
  if (view.length <= 64) {
    for (let i = 0; i < view.length; i++) text += String.fromCharCode(view[i]!);
    return text;
  }
  for (let i = 0; i < view.length; i += 4096) {
    text += String.fromCharCode(...view.subarray(i, i + 4096));
  }
  return text;
}

export function markBinaryKey(dictionary: Marked, key: string): void {
  let set = dictionary[BINARY_KEYS];
  if (set === undefined) {
    set = new Set();
    Object.defineProperty(dictionary, BINARY_KEYS, { value: set, enumerable: false });
  }
  set.add(key);
}

export function isBinaryKey(dictionary: object, key: string): boolean {
  return (dictionary as Marked)[BINARY_KEYS]?.has(key) ?? false;
}

/** The bytes a string key is written as: UTF-8, or Latin-1 for a key decoded as binary. */
export function encodeKey(dictionary: object, key: string): Uint8Array {
  if (isBinaryKey(dictionary, key)) {
    const out = new Uint8Array(key.length);
    for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i);
    return out;
  }
  return utf8Encoder.encode(key);
}

/**
 * The exact bytes of a key of a decoded dictionary, as they stood in the input, whether
 * or not they were valid UTF-8. Returns a fresh array.
 */
export function keyBytes(dictionary: BencodeDictionary | BencodeMap, key: string): Uint8Array {
  return encodeKey(dictionary, key);
}
