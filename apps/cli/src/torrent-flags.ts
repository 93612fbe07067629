// The flags `download` and `seed` share (ports, peers, limits), parsed into what a
// `Session` and `Torrent` take. Pure: text in, numbers out, a UsageError for bad text.
import { formatPeerAddress, parsePeerAddress } from '@gtorr/client';
import { UsageError } from './errors.js';

/** The port gtorr listens on when --port is not given (the classic BitTorrent port). */
export const DEFAULT_PORT = 6881;

/** The `parseArgs` options of the shared flags. */
export const torrentFlagOptions = {
  port: { type: 'string' },
  host: { type: 'string' },
  peer: { type: 'string', multiple: true },
  'max-peers': { type: 'string' },
  'upload-limit': { type: 'string' },
  'download-limit': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface TorrentFlagValues {
  port?: string;
  host?: string;
  peer?: string[];
  'max-peers'?: string;
  'upload-limit'?: string;
  'download-limit'?: string;
}

export interface TorrentFlags {
  /** The port asked for, or undefined for "6881, else any free one". */
  readonly port: number | undefined;
  readonly host: string | undefined;
  /** Normalized `host:port` (`[v6]:port`), without duplicates. */
  readonly peers: string[];
  readonly maxPeers: number | undefined;
  /** Bytes per second; undefined for no limit. */
  readonly uploadLimit: number | undefined;
  readonly downloadLimit: number | undefined;
}

export function parseTorrentFlags(values: TorrentFlagValues): TorrentFlags {
  return {
    port: values.port === undefined ? undefined : parseWhole(values.port, '--port', 0, 65535),
    host: parseHost(values.host),
    peers: parsePeers(values.peer ?? []),
    maxPeers: values['max-peers'] === undefined ? undefined : parseWhole(values['max-peers'], '--max-peers', 1, 10_000),
    uploadLimit: values['upload-limit'] === undefined ? undefined : parseRate(values['upload-limit'], '--upload-limit'),
    downloadLimit: values['download-limit'] === undefined ? undefined : parseRate(values['download-limit'], '--download-limit'),
  };
}

/** A whole number from `min` to `max`, or a UsageError naming the flag. */
export function parseWhole(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

const RATE = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmg])(?:i?b)?|b)?(?:\/s)?$/i;
const UNIT: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Bytes per second from "500000", "500K", "1.5M", "10MiB/s", "1G" (binary units, as the
 * progress line shows rates); "0" means no limit (undefined).
 */
export function parseRate(text: string, flag: string): number | undefined {
  const match = RATE.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const value = match ? Number(match[1]) * (unit === undefined ? 1 : UNIT[unit]!) : Number.NaN;
  if (!Number.isFinite(value) || value > 2 ** 40) throw new UsageError(`${flag} must be bytes per second like 500K, 10M or 0 for no limit, got ${JSON.stringify(text)}`);
  const bytes = Math.round(value);
  if (bytes === 0) return undefined;
  // Below a block (16 KiB) a second, a peer would wait longer for one block than it waits for an answer.
  if (bytes < 1024) throw new UsageError(`${flag} must be at least 1K (1024 bytes per second), got ${JSON.stringify(text)}`);
  return bytes;
}

/** `--peer` values: `host:port` or `[v6]:port`, normalized and without duplicates. */
export function parsePeers(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    const address = parsePeerAddress(text);
    if (address === undefined) throw new UsageError(`--peer must be HOST:PORT or [IPv6]:PORT with a port from 1 to 65535, got ${JSON.stringify(text)}`);
    out.add(formatPeerAddress(address));
  }
  return [...out];
}

function parseHost(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '' || /\s/.test(host)) throw new UsageError(`--host must be an address to listen on, like 127.0.0.1 or ::, got ${JSON.stringify(text)}`);
  return host;
}
