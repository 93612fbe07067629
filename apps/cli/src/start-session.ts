import { Session } from '@gtorr/client';
import { DEFAULT_PORT, type TorrentFlags } from './torrent-flags.js';

export interface StartedSession {
  readonly session: Session;
  /** The port it listens on (the one picked when 0 was asked for). */
  readonly port: number;
}

/**
 * Makes a session from the shared flags and starts it listening. Without --port it tries
 * 6881 and, when that is taken (another client, another gtorr), any free port: the port
 * is announced to trackers, so which one does not matter. An explicit --port that cannot
 * be had is an error.
 */
export async function startSession(flags: Pick<TorrentFlags, 'port' | 'host'>): Promise<StartedSession> {
  try {
    return await listen(flags, flags.port ?? DEFAULT_PORT);
  } catch (error) {
    if (flags.port !== undefined) throw error;
  }
  return listen(flags, 0);
}

async function listen(flags: Pick<TorrentFlags, 'host'>, port: number): Promise<StartedSession> {
  const session = new Session({ port, host: flags.host });
  try {
    return { session, port: (await session.start()).port };
  } catch (error) {
    await session.close().catch(() => undefined);
    throw listenError(error, flags.host, port);
  }
}

function listenError(error: unknown, host: string | undefined, port: number): Error {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as NodeJS.ErrnoException).code;
  const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : code === 'EADDRNOTAVAIL' ? 'no such address here' : (error as Error).message;
  return new Error(`cannot listen on ${host ?? 'every address'} port ${port}: ${why}`, { cause: error });
}
