import type { Torrent } from '@gtorr/client';

/**
 * `torrent.whenDone({ signal })`, rejecting at once with the signal's reason when it is
 * already aborted (`Torrent.whenDone` only listens for an abort still to come).
 */
export function whenDone(torrent: Torrent, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return torrent.whenDone({ signal });
}
