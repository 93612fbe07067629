import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { parseWhole } from '../torrent-flags.js';

export interface DemoOptions {
  /** Bytes of random data to share. */
  readonly size: number;
  /** Downloading sessions besides the seed. */
  readonly peers: number;
  readonly json: boolean;
  /** Leave the temporary folder (data, torrent, downloads) in place. */
  readonly keep: boolean;
}

export const DEFAULT_DEMO_SIZE = 64 * 1024 * 1024;
export const DEFAULT_DEMO_PEERS = 2;
// The demo writes size × (peers + 1) bytes to the temporary folder: keep that sane.
const MAX_DEMO_SIZE = 4 * 1024 ** 3;
const MAX_DEMO_PEERS = 8;

export function parseDemoOptions(args: string[]): DemoOptions {
  const { values, positionals } = parseArgs({
    args,
    options: { size: { type: 'string' }, peers: { type: 'string' }, json: { type: 'boolean' }, keep: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments, got '${positionals[0]}' (see gtorr demo --help)`);
  return {
    size: values.size === undefined ? DEFAULT_DEMO_SIZE : parseSize(values.size, '--size', MAX_DEMO_SIZE),
    peers: values.peers === undefined ? DEFAULT_DEMO_PEERS : parseWhole(values.peers, '--peers', 1, MAX_DEMO_PEERS),
    json: values.json === true,
    keep: values.keep === true,
  };
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|b)?$/i;
const UNIT: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "1000", "512K", "64M", "1.5G", "64MiB" -> bytes (binary units), from 1 byte to `max`. */
export function parseSize(text: string, flag: string, max: number): number {
  const match = SIZE.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const bytes = match ? Math.round(Number(match[1]) * (unit === undefined ? 1 : UNIT[unit]!)) : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1 || bytes > max) throw new UsageError(`${flag} must be a size from 1 byte to ${max / 1024 ** 3}G, like 64M or 512K, got ${JSON.stringify(text)}`);
  return bytes;
}
