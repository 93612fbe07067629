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

/**
 * A command as the registry lists it: its name, and how to load it. Commands are imported
 * only when run, so `gtorr info` never loads the storage or tracker code of other commands.
 */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
}
