import type { Command } from '../command.js';

// Every subcommand, in the order `gtorr --help` lists them. Add yours with one import line
// and one entry line; keep the list order: download, seed, create, info, verify, tracker, demo.
export const commands: readonly Command[] = [
];
