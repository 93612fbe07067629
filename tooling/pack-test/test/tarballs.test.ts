// What `pnpm pack` puts in each public package's tarball: only what a user needs, and a
// package.json npm can install (no workspace: protocol, @gtorr/* at real versions).
import { describe, expect, inject, it } from 'vitest';
import { readTarball, readTarballText } from './support/tar.js';
import { packTestDir, readManifest, type PackageManifest } from './support/workspace.js';

const { packages, workspace } = inject('packTest');

/** Paths a tarball may hold: the build, the docs, the manifest. */
const ALLOWED = [/^dist\//, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/];
const REQUIRED = ['package.json', 'README.md', 'LICENSE'];

/** Every file a manifest points at: export targets and bins. */
function targets(manifest: PackageManifest): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  for (const key of ['main', 'module', 'types', 'typings']) walk(manifest[key]);
  return [...new Set(found.map((p) => p.replace(/^\.\//, '')))];
}

describe('the pack test itself', () => {
  it('lists every public package as a devDependency, so turbo builds them before it runs', () => {
    const own = readManifest(packTestDir);
    const publicNames = workspace.filter((p) => !p.private).map((p) => p.name);
    expect(publicNames.length).toBeGreaterThanOrEqual(8);
    for (const name of publicNames) expect(own.devDependencies, `add "${name}": "workspace:*" to tooling/pack-test's devDependencies`).toHaveProperty([name], 'workspace:*');
    expect(packages.map((p) => p.name).sort()).toEqual([...publicNames].sort());
  });
});

describe.each(packages.map((p) => [p.name, p] as const))('tarball of %s', (name, pkg) => {
  const entries = readTarball(pkg.tarball);
  const paths = entries.map((e) => e.path);
  const manifest = JSON.parse(readTarballText(pkg.tarball, 'package.json')) as PackageManifest;

  it('holds only dist/, README.md, LICENSE, CHANGELOG.md and package.json', () => {
    expect(paths.filter((p) => !ALLOWED.some((re) => re.test(p)))).toEqual([]);
    for (const file of REQUIRED) expect(paths, `${name} ships no ${file}`).toContain(file);
    // Built JavaScript and declarations only: no TypeScript sources, no build info.
    expect(paths.filter((p) => (p.endsWith('.ts') && !p.endsWith('.d.ts')) || p.endsWith('.tsbuildinfo'))).toEqual([]);
    expect(paths.some((p) => p.endsWith('.js'))).toBe(true);
  });

  it('holds every file its exports and bin point at', () => {
    const pointedAt = targets(manifest);
    expect(pointedAt.length).toBeGreaterThan(0);
    for (const target of pointedAt) expect(paths, `${name}: "${target}" is in package.json but not in the tarball`).toContain(target);
  });

  it('has a package.json npm can install: real versions for @gtorr/* and nothing from the workspace protocol', () => {
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.private).toBeUndefined();
    expect(manifest.name).toBe(name);
    expect(manifest.version).toBe(pkg.version);
    for (const [dep, spec] of Object.entries(manifest.dependencies ?? {})) {
      const target = packages.find((p) => p.name === dep);
      if (!target) continue;
      // `workspace:*` packs as the exact version, `workspace:^` as ^version.
      expect([target.version, `^${target.version}`, `~${target.version}`], `${name} -> ${dep}`).toContain(spec);
    }
    // Nothing runs at install time.
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts ?? {}).not.toHaveProperty([hook]);
  });

  if (!pkg.app) {
    it('depends on nothing at run time but @gtorr/* packages (a library)', () => {
      expect(Object.keys(manifest.dependencies ?? {}).filter((d) => !d.startsWith('@gtorr/'))).toEqual([]);
      expect(manifest.peerDependencies ?? {}).toEqual({});
    });
  }

  it('keeps the license, engines and module type of the workspace package.json', () => {
    const source = readManifest(pkg.dir);
    expect(manifest.license).toBe(source.license);
    expect(manifest.engines).toEqual(source.engines);
    expect(manifest.type).toBe('module');
  });
});
