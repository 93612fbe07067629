import type { CommandEntry } from '../command.js';

// Every subcommand, in the order `gtorr --help` lists them. Add yours with one entry; keep
// the list order: download, seed, create, info, verify, tracker, demo. Each module is
// imported only when its command runs (start-up stays free of the libraries it uses).
export const commands: readonly CommandEntry[] = [
  { name: 'download', load: async () => (await import('./download.js')).download },
  { name: 'seed', load: async () => (await import('./seed.js')).seed },
  { name: 'create', load: async () => (await import('./create.js')).create },
  { name: 'info', load: async () => (await import('./info.js')).info },
  { name: 'verify', load: async () => (await import('./verify.js')).verify },
  { name: 'tracker', load: async () => (await import('./tracker.js')).tracker },
  { name: 'demo', load: async () => (await import('./demo.js')).demo },
];
