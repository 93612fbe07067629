/**
 * @gtorr/bencode: a strict, fast bencode codec with exact raw spans.
 *
 * @example
 * ```ts
 * import { decode, encode } from '@gtorr/bencode';
 *
 * const bytes = encode({ announce: 'http://127.0.0.1:6969/announce', info: { length: 3, name: 'a.txt' } });
 * const value = decode(bytes); // { announce: Uint8Array, info: { length: 3, name: Uint8Array } }
 * ```
 *
 * @packageDocumentation
 */
export { decode, decodeFirst, decodeWithSpans } from './decode.js';
export type { DecodeOptions, DecodeWithSpansOptions, DecodedPrefix, DecodedWithSpans } from './decode.js';
export { encode } from './encode.js';
export { BencodeError, BencodeErrorCode } from './errors.js';
export type { BencodeErrorOptions } from './errors.js';
export { keyBytes } from './internal/keys.js';
export { isDictionary, text } from './values.js';
export type { BencodeDictionary, BencodeMap, BencodeValue, Encodable, Span } from './types.js';
