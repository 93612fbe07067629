import { WireErrorCode } from '@gtorr/wire';
import { errorMessage } from '../internal/error-message.js';
import type { PeerSource } from '../peers/peer-book.js';
import type { PeerConnectFailure } from './torrent-events.js';

/**
 * The `peer:connect-failed` payload for a dial to `address` that failed with `error`.
 * `retryAt` is what `PeerBook.failed` answered (ms on the torrent's clock, undefined when the
 * peer was forgotten) and `now` the same clock's time.
 */
export function connectFailure(address: string, sources: readonly PeerSource[], error: unknown, retryAt: number | undefined, now: number): PeerConnectFailure {
  const code = failureCode(error);
  return {
    address,
    // A peer the user gave by hand is theirs to hear about, whoever else named it.
    source: sources.includes('manual') ? 'manual' : (sources[0] ?? 'manual'),
    error: { ...(code === undefined ? {} : { code }), message: errorMessage(error) },
    retryInMs: retryAt === undefined ? null : Math.max(0, Math.round(retryAt - now)),
  };
}

// A socket failure comes as WIRE_SOCKET_ERROR wrapping the system error: the system's code
// (ECONNREFUSED, EHOSTUNREACH...) is the one that says what went wrong.
function failureCode(error: unknown): string | undefined {
  const code = codeOf(error);
  if (code === WireErrorCode.SOCKET_ERROR) return codeOf((error as { cause?: unknown }).cause) ?? code;
  return code;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
