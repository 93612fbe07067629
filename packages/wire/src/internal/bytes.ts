// Small byte helpers shared by the codecs. Integers on the wire are big-endian (BEP 3).

export function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

export function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Throws a RangeError unless `value` fits an unsigned 32-bit field. */
export function checkUint32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`wire: ${what} must be an integer in [0, 2^32), got ${value}`);
}

/** Throws a TypeError unless `value` is a Uint8Array of `length` bytes. */
export function checkBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) throw new TypeError(`wire: ${what} must be a Uint8Array of ${length} bytes`);
}

/**
 * The 20 bytes an info hash puts in the handshake: a v1 hash as it is, a v2 (SHA-256) hash
 * truncated to its first 20 bytes (BEP 52). A view, not a copy.
 */
export function handshakeInfoHash(infoHash: Uint8Array): Uint8Array {
  if (!(infoHash instanceof Uint8Array) || (infoHash.length !== 20 && infoHash.length !== 32)) {
    throw new TypeError('wire: an info hash is a Uint8Array of 20 (v1) or 32 (v2) bytes');
  }
  return infoHash.length === 20 ? infoHash : infoHash.subarray(0, 20);
}
