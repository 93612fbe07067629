import { BencodeError, BencodeErrorCode as Code, type BencodeErrorCode } from './errors.js';
import { compareBytes } from './internal/compare.js';
import { encodeKey, isBinaryKey } from './internal/keys.js';
import type { Encodable } from './types.js';

const utf8 = new TextEncoder();

// Thrown inside the encoder and turned into a BencodeError at the top, once each container
// on the way up has added its segment of the path.
class Failure extends Error {
  readonly path: string[] = [];
  constructor(
    readonly code: BencodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

interface KeyInfo {
  readonly bytes: Uint8Array;
  /** No UTF-16 surrogates: the built-in string sort gives UTF-8 byte order. */
  readonly simple: boolean;
}

// Encoded keys, remembered: real dictionaries repeat the same few keys thousands of times
// (`length`, `path` in every file entry). Bounded so hostile input cannot grow it.
const KEY_CACHE_LIMIT = 4096;
const keyCache = new Map<string, KeyInfo>();

function keyInfo(key: string): KeyInfo {
  let info = keyCache.get(key);
  if (info === undefined) {
    let simple = true;
    for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0xd800) simple = false;
    info = { bytes: utf8.encode(key), simple };
    if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(key, info);
  }
  return info;
}

// One scratch buffer, reused across calls so small encodes do not regrow from nothing;
// the result is always copied out, and a re-entrant call (a getter that encodes) gets its own.
let scratch: Uint8Array | undefined = new Uint8Array(64 * 1024);

// Byte strings this large are not copied into the scratch buffer: they are remembered
// and copied once, straight into the result (a torrent's `pieces` is most of its bytes).
const DEFER_AT = 2048;

class Writer {
  buffer: Uint8Array;
  length = 0;
  /** Large byte strings and the scratch offset they belong at, in order. */
  private readonly deferred: { at: number; bytes: Uint8Array }[] = [];
  private deferredLength = 0;
  private readonly active = new Set<object>();

  constructor(buffer: Uint8Array) {
    this.buffer = buffer;
  }

  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  /** Writes a non-negative safe integer's decimal digits. */
  private digits(n: number): void {
    if (n < 10) {
      this.reserve(1);
      this.buffer[this.length++] = 0x30 + n;
      return;
    }
    const text = String(n);
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i);
  }

  private integer(value: number | bigint): void {
    this.byte(0x69); // 'i'
    if (typeof value === 'number') {
      if (value < 0) {
        this.byte(0x2d);
        this.digits(-value);
      } else this.digits(value === 0 ? 0 : value);
    } else {
      const text = value.toString();
      this.reserve(text.length);
      for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i);
    }
    this.byte(0x65);
  }

  private string(bytes: Uint8Array): void {
    this.digits(bytes.length);
    if (bytes.length >= DEFER_AT) {
      this.byte(0x3a); // ':'
      this.deferred.push({ at: this.length, bytes });
      this.deferredLength += bytes.length;
      return;
    }
    this.reserve(bytes.length + 1);
    this.buffer[this.length++] = 0x3a;
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The encoded bytes in a fresh array of exactly the right size. */
  result(): Uint8Array {
    if (this.deferred.length === 0) return this.buffer.slice(0, this.length);
    const out = new Uint8Array(this.length + this.deferredLength);
    let from = 0;
    let to = 0;
    for (const { at, bytes } of this.deferred) {
      out.set(this.buffer.subarray(from, at), to);
      to += at - from;
      out.set(bytes, to);
      to += bytes.length;
      from = at;
    }
    out.set(this.buffer.subarray(from, this.length), to);
    return out;
  }

  value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        if (!Number.isSafeInteger(value)) throw new Failure(Code.NOT_INTEGER, `bencode integers must be safe integers, got ${value}`);
        this.integer(value);
        return;
      case 'bigint':
        this.integer(value);
        return;
      case 'string':
        this.string(utf8.encode(value));
        return;
      case 'object':
        if (value === null) break;
        if (value instanceof Uint8Array) return this.string(value);
        if (this.active.has(value)) throw new Failure(Code.CYCLE, 'value contains itself');
        this.active.add(value);
        if (Array.isArray(value)) this.list(value);
        else if (value instanceof Map) this.map(value as ReadonlyMap<unknown, unknown>);
        else {
          const proto: unknown = Object.getPrototypeOf(value);
          if (proto !== Object.prototype && proto !== null) {
            throw new Failure(Code.UNSUPPORTED_TYPE, `cannot encode a ${describe(value)} (byte strings must be Uint8Array)`);
          }
          this.object(value as Record<string, unknown>);
        }
        this.active.delete(value);
        return;
      case 'undefined':
      case 'boolean':
      case 'function':
      case 'symbol':
        break;
    }
    throw new Failure(Code.UNSUPPORTED_TYPE, `cannot encode ${describe(value)}`);
  }

  private list(items: readonly unknown[]): void {
    this.byte(0x6c); // 'l'
    for (let i = 0; i < items.length; i++) {
      try {
        this.value(items[i]);
      } catch (error) {
        if (error instanceof Failure) error.path.unshift(`[${i}]`);
        throw error;
      }
    }
    this.byte(0x65);
  }

  private entry(key: Uint8Array, label: string, value: unknown): void {
    this.string(key);
    try {
      this.value(value);
    } catch (error) {
      if (error instanceof Failure) error.path.unshift(/^[A-Za-z_$][\w$]*$/.test(label) ? `.${label}` : `[${JSON.stringify(label)}]`);
      throw error;
    }
  }

  private object(object: Record<string, unknown>): void {
    this.byte(0x64); // 'd'
    const keys = Object.keys(object);
    let simple = true;
    for (const key of keys) {
      if (!keyInfo(key).simple || isBinaryKey(object, key)) {
        simple = false;
        break;
      }
    }
    if (simple) {
      // Keys without surrogates sort the same by UTF-16 code unit as by UTF-8 byte,
      // so the built-in sort is the canonical order.
      if (keys.length > 1) keys.sort();
      for (const key of keys) this.entry(keyInfo(key).bytes, key, object[key]);
    } else {
      const entries = keys.map((key) => ({ key, bytes: encodeKey(object, key) }));
      entries.sort((a, b) => compareBytes(a.bytes, b.bytes));
      for (const { key, bytes } of entries) this.entry(bytes, key, object[key]);
    }
    this.byte(0x65);
  }

  private map(map: ReadonlyMap<unknown, unknown>): void {
    this.byte(0x64);
    const entries: { bytes: Uint8Array; label: string; value: unknown }[] = [];
    for (const [key, value] of map) {
      if (typeof key === 'string') entries.push({ bytes: encodeKey(map, key), label: key, value });
      else if (key instanceof Uint8Array) entries.push({ bytes: key, label: `<${key.length} bytes>`, value });
      else throw new Failure(Code.UNSUPPORTED_TYPE, `Map keys must be strings or Uint8Array, got ${describe(key)}`);
    }
    entries.sort((a, b) => compareBytes(a.bytes, b.bytes));
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (i > 0 && compareBytes(entries[i - 1]!.bytes, e.bytes) === 0) {
        const failure = new Failure(Code.DUPLICATE_KEY, 'Map has two keys with the same bytes');
        failure.path.push(`[${JSON.stringify(e.label)}]`);
        throw failure;
      }
      this.entry(e.bytes, e.label, e.value);
    }
    this.byte(0x65);
  }
}

/**
 * Encodes a value as canonical bencode: dictionary keys sorted by their raw bytes, integers
 * without leading zeros. Strings are written as UTF-8; dictionaries decoded from keys that
 * were not UTF-8 are written back with their original key bytes.
 *
 * Throws `BencodeError` with a `path` for what bencode cannot hold: non-integer or unsafe
 * numbers (`BENCODE_NOT_INTEGER`), `undefined`, `null`, booleans, functions, symbols and
 * class instances (`BENCODE_UNSUPPORTED_TYPE`), and cycles (`BENCODE_CYCLE`).
 *
 * @returns a fresh `Uint8Array`, owned by the caller.
 */
export function encode(value: Encodable): Uint8Array {
  const borrowed = scratch;
  scratch = undefined;
  const writer = new Writer(borrowed ?? new Uint8Array(1024));
  try {
    writer.value(value);
    return writer.result();
  } catch (error) {
    if (error instanceof Failure) throw new BencodeError(error.code, error.message, { path: error.path.join('').replace(/^\./, '') });
    throw error;
  } finally {
    // Keep the (possibly grown) buffer for next time, unless it grew huge.
    if (borrowed !== undefined) scratch = writer.buffer.length <= 1024 * 1024 ? writer.buffer : borrowed;
  }
}
