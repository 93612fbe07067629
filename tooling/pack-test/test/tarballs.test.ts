// What `pnpm pack` puts in each public package's tarball: only what a user needs, and a
// package.json npm can install (no workspace: protocol, @gtorr/* as caret ranges on the real versions).
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

  it('has a package.json npm can install: caret ranges on @gtorr/* and nothing from the workspace protocol', () => {
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.private).toBeUndefined();
    expect(manifest.name).toBe(name);
    expect(manifest.version).toBe(pkg.version);
    const source = readManifest(pkg.dir);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      const internal = Object.entries(manifest[field] ?? {}).filter(([dep]) => packages.some((p) => p.name === dep));
      expect(internal.map(([dep]) => dep).sort(), `${name}'s ${field} on @gtorr/*`).toEqual(Object.keys(source[field] ?? {}).filter((d) => packages.some((p) => p.name === d)).sort());
      for (const [dep, spec] of internal) {
        // `workspace:^` packs as ^<the dependency's version>, so a patch (or, from 1.0, a
        // minor) of a lower package reaches users without releasing everything above it.
        // An exact version (what `workspace:*` packs as) would pin it. On 0.x a caret only
        // admits the same minor (^0.1.0 is 0.1.*; ^0.0.0 is 0.0.0 alone): expected, as a
        // 0.x minor may break.
        expect(spec, `${name} -> ${dep}`).toBe(`^${packages.find((p) => p.name === dep)!.version}`);
      }
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

describe('internal dependency ranges', () => {
  it('the packed @gtorr/metainfo takes any @gtorr/bencode its caret admits, not one exact version', () => {
    const bencode = packages.find((p) => p.name === '@gtorr/bencode')!;
    const metainfo = packages.find((p) => p.name === '@gtorr/metainfo')!;
    expect(readManifest(metainfo.dir).dependencies?.['@gtorr/bencode']).toBe('workspace:^');
    const packed = JSON.parse(readTarballText(metainfo.tarball, 'package.json')) as PackageManifest;
    expect(packed.dependencies?.['@gtorr/bencode']).toBe(`^${bencode.version}`);
  });
});
