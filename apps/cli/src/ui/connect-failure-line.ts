import type { PeerConnectFailure } from '@gtorr/client';
import { printable } from '../commands/info.js';
import { formatDuration } from './format.js';

// What a failed dial's code means, in words; any other failure is told by its message.
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'timed out',
  WIRE_HANDSHAKE_TIMEOUT: 'timed out',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'no such host',
  WIRE_INFO_HASH_MISMATCH: 'it answered for another torrent',
};

/** `gtorr: cannot connect to 127.0.0.1:1 (connection refused); trying again in 15s`, with its newline. */
export function connectFailureLine(failure: PeerConnectFailure): string {
  const { address, error, retryInMs } = failure;
  // The wire error's message names the peer again: once in the line is enough.
  const reason = (error.code === undefined ? undefined : REASONS[error.code]) ?? error.message.replace(` (peer ${address})`, '');
  const next = retryInMs === null ? 'giving up on it' : `trying again in ${formatDuration(retryInMs / 1000)}`;
  return `gtorr: cannot connect to ${printable(address)} (${printable(reason)}); ${next}\n`;
}
