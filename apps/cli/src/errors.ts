/** Exit codes of ARCHITECTURE.md: 0 done, 1 failed at run time, 2 bad usage or bad input. */
export const ExitCode = { OK: 0, FAILURE: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad command-line usage: an unknown command or option, a missing argument. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input the user gave us that we cannot accept (a broken .torrent, a bad magnet). Exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
