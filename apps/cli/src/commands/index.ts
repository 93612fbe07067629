import type { Command } from '../command.js';

/** Every subcommand, in the order `gtorr --help` lists them. Later issues add theirs here. */
export const commands: readonly Command[] = [];
