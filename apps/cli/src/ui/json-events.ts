import type { Io } from '../io.js';

/**
 * `--json` output: one JSON object a line on stdout, each with an `event` name and a
 * millisecond `time`, so tools can follow long work line by line.
 */
export function emitJson(io: Io, event: string, fields: Record<string, unknown> = {}): void {
  io.stdout.write(`${JSON.stringify({ event, time: Date.now(), ...fields }, jsonReplacer)}\n`);
}

/** An "error" event for a failure that ends the command: its message, and its `code` (null when it has none). */
export function emitJsonError(io: Io, error: unknown): void {
  emitJson(io, 'error', { message: (error as Error).message, code: (error as { code?: unknown }).code ?? null });
}

// bigint and bytes have no JSON form: numbers as strings, bytes as hex.
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
