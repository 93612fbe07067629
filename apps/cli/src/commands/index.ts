import type { Command } from '../command.js';
import { create } from './create.js';
import { info } from './info.js';
import { tracker } from './tracker.js';
import { verify } from './verify.js';

// Every subcommand, in the order `gtorr --help` lists them. Add yours with one import line
// and one entry line; keep the list order: download, seed, create, info, verify, tracker, demo.
export const commands: readonly Command[] = [
  create,
  info,
  verify,
  tracker,
];
