// The workspace as pnpm sees it: which packages exist, which are public, what they depend on.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot: string = fileURLToPath(new URL('../../../../', import.meta.url));
export const packTestDir: string = fileURLToPath(new URL('../../', import.meta.url));

export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly bin?: string | Record<string, string>;
  readonly exports?: unknown;
  readonly files?: readonly string[];
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  /** Absolute folder. */
  readonly dir: string;
  readonly private: boolean;
  readonly manifest: PackageManifest;
}

export const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** Every workspace package but the root, from `pnpm ls -r` (so pnpm-workspace.yaml decides). */
export function listWorkspace(): WorkspacePackage[] {
  const out = execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: repoRoot, encoding: 'utf8' });
  const listed = JSON.parse(out) as { name: string; path: string }[];
  return listed
    .filter((entry) => entry.path.replace(/\/$/, '') !== repoRoot.replace(/\/$/, ''))
    .map((entry) => {
      const manifest = readManifest(entry.path);
      return { name: manifest.name, version: manifest.version, dir: entry.path, private: manifest.private === true, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

/** An app is a package with a `bin` (apps/cli, published as `gtorr`); the rest are libraries. */
export function isApp(manifest: PackageManifest): boolean {
  return manifest.bin !== undefined;
}
