// The gtorr rows: the built command line, when it has the command a benchmark needs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { eachLine, startProcess, waitFor, type ManagedProcess } from '@gtorr/interop';
import { GTORR_BIN } from './paths.js';

/**
 * Why `gtorr <command>` cannot be benchmarked (apps/cli not built, or no such command
 * yet), or undefined when it can.
 */
export function gtorrMissing(command: 'download' | 'seed'): string | undefined {
  if (!existsSync(GTORR_BIN)) return `${GTORR_BIN} is missing (pnpm build)`;
  const help = spawnSync(process.execPath, [GTORR_BIN, command, '--help'], { encoding: 'utf8', timeout: 20_000 });
  if (help.status !== 0 || !help.stdout.includes(`gtorr ${command}`)) return `apps/cli/dist/bin.js has no "${command}" command yet`;
  return undefined;
}

/** `[command, args]` of a gtorr run, with Node as the interpreter. */
export function gtorrCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [GTORR_BIN, ...args]];
}

/**
 * Starts `gtorr seed` on 127.0.0.1:`port` with --json and resolves once it says it is
 * seeding (a "state" event of "seeding", or a "check" that verified every piece), at most
 * `timeoutMs` later.
 */
export async function startGtorrSeed(torrentPath: string, dir: string, port: number, timeoutMs: number): Promise<ManagedProcess> {
  const [command, args] = gtorrCommand(['seed', torrentPath, '-d', dir, '--port', String(port), '--host', '127.0.0.1', '--json']);
  const child = startProcess(command, args);
  let seeding = false;
  eachLine(child.child.stdout, (line) => {
    if (!line.startsWith('{')) return;
    try {
      const event = JSON.parse(line) as { event?: string; state?: string; verified?: number; pieceCount?: number };
      if (event.event === 'state' && event.state === 'seeding') seeding = true;
      if (event.event === 'check' && event.verified !== undefined && event.verified === event.pieceCount) seeding = true;
    } catch {
      // not one of its events
    }
  });
  try {
    await waitFor('gtorr seed to be seeding', () => {
      if (child.child.exitCode !== null) throw new Error(`gtorr seed exited with code ${child.child.exitCode}`);
      return seeding;
    }, timeoutMs);
  } catch (error) {
    await child.stop('SIGINT', 3000);
    throw new Error(`${(error as Error).message}\n${child.output().slice(-2000)}`);
  }
  return child;
}
