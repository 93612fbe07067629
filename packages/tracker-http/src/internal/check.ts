// Caller misuse is a TypeError or RangeError (STYLE.md), checked before any I/O.

export function checkHash(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (value.length !== 20) throw new RangeError(`${name} must be 20 bytes, got ${value.length}`);
}

export function checkCount(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer`);
}

export function checkPort(value: unknown, name = 'port'): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) throw new RangeError(`${name} must be an integer from 1 to 65535`);
}
