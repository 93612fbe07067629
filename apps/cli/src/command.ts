import type { Io } from './io.js';

/** One subcommand of `gtorr`. Each lives in its own file under commands/. */
export interface Command {
  readonly name: string;
  /** One line for `gtorr --help`. */
  readonly summary: string;
  /** The full `gtorr <name> --help` text: usage, options, examples. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: Io): Promise<number>;
}
