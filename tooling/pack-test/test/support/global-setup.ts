// Runs once before every test file: packs each public package with `pnpm pack`, and
// installs the library tarballs into a fresh npm project in a temporary folder outside the
// workspace, with plain `npm install`. Tests get the paths through `inject('packTest')`.
// Set GTORR_PACK_TEST_KEEP=1 to keep the folder for a look afterwards.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFakeRegistry } from './fake-registry.js';
import { npmEnv, runOk } from './run.js';
import { isApp, listWorkspace, repoRoot, type WorkspacePackage } from './workspace.js';

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The package's folder in the workspace. */
  readonly dir: string;
  /** Has a `bin`: installed with `npm install -g`, not into the project. */
  readonly app: boolean;
  /** Absolute path of its tarball. */
  readonly tarball: string;
}

export interface PackTestContext {
  /** The temporary folder everything lives in. */
  readonly root: string;
  /** The fake registry's URL (it holds nothing; see fake-registry.ts). */
  readonly registry: string;
  /** The npm project the library tarballs are installed in. */
  readonly projectDir: string;
  /** The public packages, packed. */
  readonly packages: readonly PackedPackage[];
  /** Every workspace package (private ones too), as pnpm lists them. */
  readonly workspace: readonly WorkspacePackage[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    packTest: PackTestContext;
  }
}

/**
 * `pnpm pack` of the given packages, by one recursive pnpm (which packs them side by side):
 * pnpm writes the real versions over `workspace:` ranges as it packs (`workspace:^` as
 * `^<version>`).
 */
async function packAll(packages: readonly WorkspacePackage[], destination: string, env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const filters = packages.map((p) => `--filter=${p.name}`);
  const { stdout } = await runOk('pnpm', ['-r', ...filters, 'pack', '--pack-destination', destination, '--json'], { cwd: repoRoot, env, timeoutMs: 120_000 });
  // The JSON array comes last; lifecycle output (if a package ever has some) before it.
  const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { name: string; filename: string }[];
  return new Map(packed.map((p) => [p.name, p.filename]));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // realpath: on macOS os.tmpdir() is a symlink, and npm reports real paths.
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'gtorr-pack-test-')));
  if (!relative(repoRoot, root).startsWith('..')) {
    throw new Error(`the pack test's temp folder ${root} is inside the workspace: Node would find the workspace's packages from it (set TMPDIR elsewhere)`);
  }
  const registry = await startFakeRegistry();
  const cleanup = async () => {
    await registry.close();
    if (process.env.GTORR_PACK_TEST_KEEP) console.log(`pack test: kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  try {
    writeFileSync(join(root, 'npmrc'), '');
    writeFileSync(join(root, 'npmrc-global'), '');
    const env = npmEnv({ root, registry: registry.url });

    const started = performance.now();
    const tarballs = join(root, 'tarballs');
    mkdirSync(tarballs);
    const workspace = listWorkspace();
    const publicPackages = workspace.filter((p) => !p.private);
    const filenames = await packAll(publicPackages, tarballs, env);
    const packages: PackedPackage[] = publicPackages.map((pkg) => {
      const tarball = filenames.get(pkg.name);
      if (tarball === undefined) throw new Error(`pnpm pack made no tarball for ${pkg.name}`);
      return { name: pkg.name, version: pkg.version, dir: pkg.dir, app: isApp(pkg.manifest), tarball };
    });

    const packed = performance.now();

    // A consumer's project: every library as a direct dependency on its tarball, and the
    // same as an override, so that the libraries' own @gtorr/* dependencies (real versions
    // in the packed manifests, not on any registry yet) resolve to the tarballs too.
    const projectDir = join(root, 'project');
    mkdirSync(projectDir);
    const libraries = Object.fromEntries(packages.filter((p) => !p.app).map((p) => [p.name, `file:${p.tarball}`]));
    const manifest = { name: 'gtorr-pack-test-consumer', version: '1.0.0', private: true, type: 'module', dependencies: libraries, overrides: libraries };
    writeFileSync(join(projectDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await runOk('npm', ['install', '--no-audit', '--no-fund'], { cwd: projectDir, env, timeoutMs: 120_000 });

    const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
    console.log(`pack test: packed ${packages.length} packages in ${seconds(started, packed)}, installed them in ${seconds(packed, performance.now())}, in ${root}`);
    project.provide('packTest', { root, registry: registry.url, projectDir, packages, workspace });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return cleanup;
}
