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

class Writer {
  buffer = new Uint8Array(256);
  length = 0;
  private readonly active = new Set<object>();

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

  private ascii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    let p = this.length;
    for (let i = 0; i < text.length; i++) buffer[p++] = text.charCodeAt(i);
    this.length = p;
  }

  private string(bytes: Uint8Array): void {
    this.ascii(String(bytes.length));
    this.reserve(bytes.length + 1);
    this.buffer[this.length++] = 0x3a; // ':'
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        if (!Number.isSafeInteger(value)) throw new Failure(Code.NOT_INTEGER, `bencode integers must be safe integers, got ${value}`);
        this.ascii(`i${value}e`);
        return;
      case 'bigint':
        this.ascii(`i${value}e`);
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
    if (needsByteSort(object, keys)) {
      const entries = keys.map((key) => ({ key, bytes: encodeKey(object, key) }));
      entries.sort((a, b) => compareBytes(a.bytes, b.bytes));
      for (const { key, bytes } of entries) this.entry(bytes, key, object[key]);
    } else {
      // ASCII and other BMP keys below the surrogates sort the same by UTF-16 code unit
      // as by UTF-8 byte, so the built-in sort is the canonical order.
      keys.sort();
      for (const key of keys) this.entry(isAscii(key) ? asciiBytes(key) : utf8.encode(key), key, object[key]);
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

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function needsByteSort(object: object, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (isBinaryKey(object, key)) return true;
    for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0xd800) return true;
  }
  return false;
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
  const writer = new Writer();
  try {
    writer.value(value);
  } catch (error) {
    if (error instanceof Failure) throw new BencodeError(error.code, error.message, { path: error.path.join('').replace(/^\./, '') });
    throw error;
  }
  const { buffer, length } = writer;
  // Hand back the writer's own buffer unless most of it would be wasted.
  return length * 2 >= buffer.length ? buffer.subarray(0, length) : buffer.slice(0, length);
}
