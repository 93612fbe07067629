#!/usr/bin/env node
// `pnpm gtorr ...` from a fresh clone: builds the CLI and what it depends on (turbo's
// cache makes this near-instant after the first time), then runs it with the given
// arguments, passing its exit code through.
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const build = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', '--filter=gtorr...', '--output-logs=errors-only', '--log-prefix=none'],
  { cwd: root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } },
);
if (build.status !== 0) {
  process.stderr.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  process.stderr.write('gtorr: building the CLI failed (see above)\n');
  process.exit(1);
}

const child = spawn(process.execPath, [fileURLToPath(new URL('../../apps/cli/dist/bin.js', import.meta.url)), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
// A terminal's Ctrl-C reaches the whole process group; let the CLI handle it and
// report how it ended.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
