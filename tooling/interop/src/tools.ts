import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The interpreter that has Debian's python3-libtorrent (the python3 on PATH may be another). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export type Tool = 'libtorrent' | 'transmission' | 'aria2' | 'opentracker' | 'mktorrent';

const probes: Record<Tool, () => boolean> = {
  libtorrent: () => existsSync(SYSTEM_PYTHON) && spawnSync(SYSTEM_PYTHON, ['-c', 'import libtorrent'], { timeout: 10_000 }).status === 0,
  transmission: () => onPath('transmission-cli') && onPath('transmission-create'),
  aria2: () => onPath('aria2c'),
  opentracker: () => onPath('opentracker'),
  mktorrent: () => onPath('mktorrent'),
};

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { timeout: 5000 }).status === 0;
}

const cache = new Map<Tool, boolean>();

export function hasTool(tool: Tool): boolean {
  let known = cache.get(tool);
  if (known === undefined) {
    known = probes[tool]();
    cache.set(tool, known);
  }
  return known;
}

/**
 * Whether an interop test for `tool` should run. In CI (CI=true) a missing tool is an
 * error, since .ci/run installs them all: a test must never pass by skipping there.
 * Locally a missing tool skips the test. Use as `describe.runIf(interop('libtorrent'))`.
 */
export function interop(tool: Tool): boolean {
  if (hasTool(tool)) return true;
  if (process.env.CI) throw new Error(`interop tool '${tool}' is missing in CI: .ci/run must install it`);
  return false;
}
