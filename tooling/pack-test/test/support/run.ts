// Child processes for the pack test: every command's output is kept, so a failure shows
// what npm, pnpm, tsc or the script said, and nothing is inherited that could make npm or
// pnpm read the developer's configuration or reach the real registry.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './workspace.js';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The command line, for failure messages. */
  readonly command: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long. Default 60 s. */
  readonly timeoutMs?: number;
}

/** Runs a command to its end; resolves whatever its exit code (check `code`). */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, command: [command, ...args].join(' ') });
    });
  });
}

/** Like `run`, but rejects with the command's output unless it exits 0. */
export async function runOk(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(explain(result));
  return result;
}

/** A failed command as one readable message. */
export function explain(result: RunResult): string {
  return [
    `\`${result.command}\` exited with ${result.code ?? result.signal}`,
    result.stdout.trim() && `--- stdout\n${result.stdout.trim()}`,
    result.stderr.trim() && `--- stderr\n${result.stderr.trim()}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The environment for npm and pnpm: the caller's, minus what `pnpm test` (and npm, and turbo)
 * put there for their own scripts (`npm_config_*`, `npm_package_*`, ...), plus a cache of our
 * own and, given a `registry`, a user config of our own (empty: no tokens, no registry
 * settings of the developer's) and that registry (the fake one), so nothing is fetched from,
 * or sent to, npmjs. Without `registry`, npm uses the developer's configuration and registry:
 * for installing a package that has dependencies from npm.
 */
export function npmEnv(options: { root: string; registry: string | undefined }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_(config|package|lifecycle)_/i.test(key) || /^npm_(command|execpath|node_execpath)$/i.test(key)) continue;
    if (key === 'NODE_OPTIONS' || key === 'INIT_CWD' || key === 'PNPM_SCRIPT_SRC_DIR') continue;
    env[key] = value;
  }
  const isolated: NodeJS.ProcessEnv =
    options.registry === undefined
      ? {}
      : {
          npm_config_userconfig: join(options.root, 'npmrc'),
          npm_config_globalconfig: join(options.root, 'npmrc-global'),
          npm_config_registry: options.registry,
          npm_config_fetch_retries: '0',
        };
  return {
    ...env,
    ...isolated,
    npm_config_cache: join(options.root, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  };
}

/** The workspace's own TypeScript compiler, run with `node` (the temp project installs nothing from the registry). */
export const tscPath: string = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');

/** The workspace's @types folder, so a temp project type-checks `node:` imports without installing @types/node. */
export const workspaceTypeRoots: string = join(repoRoot, 'node_modules', '@types');

/** The workspace's changesets CLI. */
export const changesetBin: string = createRequire(join(repoRoot, 'package.json')).resolve('@changesets/cli/bin.js');
