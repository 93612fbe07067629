// `changeset version` and a publish dry run, in a throw-away copy of the workspace (never
// the checkout itself: versioning rewrites package.json files and changelogs). The copy
// holds what both commands read: the root and workspace manifests, .changeset/, and each
// package's README, LICENSE, CHANGELOG and dist/, with node_modules links where pnpm looks
// up workspace dependencies when it rewrites `workspace:^`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeRegistry } from './support/fake-registry.js';
import { changesetBin, explain, npmEnv, run } from './support/run.js';
import { DEPENDENCY_FIELDS, readManifest, repoRoot } from './support/workspace.js';

const { root, registry: emptyRegistry, workspace } = inject('packTest');
const publicPackages = workspace.filter((p) => !p.private);
const config = JSON.parse(readFileSync(join(repoRoot, '.changeset', 'config.json'), 'utf8')) as {
  fixed: unknown[];
  linked: unknown[];
  updateInternalDependencies: string;
  privatePackages?: { version?: boolean; tag?: boolean };
  ignore?: string[];
};
const pendingChangesets = readdirSync(join(repoRoot, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');

let copies = 0;
/**
 * A fresh copy of the workspace for one scenario, with no pending changesets unless asked;
 * given a `version`, every public package in the copy is at it (as after a release).
 */
function copyWorkspace(options: { pending?: boolean; version?: string } = {}): string {
  const dest = join(root, `workspace-${++copies}`);
  mkdirSync(join(dest, '.changeset'), { recursive: true });
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(repoRoot, file), join(dest, file));
  for (const file of readdirSync(join(repoRoot, '.changeset'))) {
    if (options.pending || !file.endsWith('.md') || file === 'README.md') cpSync(join(repoRoot, '.changeset', file), join(dest, '.changeset', file), { recursive: true });
  }
  // The changelog generator the config names is resolved from .changeset/.
  mkdirSync(join(dest, 'node_modules'));
  symlinkSync(realpathSync(join(repoRoot, 'node_modules', '@changesets')), join(dest, 'node_modules', '@changesets'), 'dir');
  for (const pkg of workspace) {
    const dir = join(dest, relative(repoRoot, pkg.dir));
    mkdirSync(dir, { recursive: true });
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist']) {
      if (existsSync(join(pkg.dir, file))) cpSync(join(pkg.dir, file), join(dir, file), { recursive: true });
    }
    if (options.version !== undefined && !pkg.private) {
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...pkg.manifest, version: options.version }, null, 2)}\n`);
    }
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, spec] of Object.entries(pkg.manifest[field] ?? {})) {
        const target = workspace.find((p) => p.name === name);
        if (!spec.startsWith('workspace:') || !target) continue;
        const link = join(dir, 'node_modules', name);
        if (existsSync(link)) continue;
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(join(dest, relative(repoRoot, target.dir)), link, 'dir');
      }
    }
  }
  return dest;
}

function writeChangeset(dest: string, id: string, releases: Record<string, 'major' | 'minor' | 'patch'>, summary: string): void {
  const header = Object.entries(releases).map(([name, type]) => `"${name}": ${type}`);
  writeFileSync(join(dest, '.changeset', `${id}.md`), `---\n${header.join('\n')}\n---\n\n${summary}\n`);
}

async function changesetVersion(dest: string): Promise<void> {
  const result = await run(process.execPath, [changesetBin, 'version'], { cwd: dest, env: npmEnv({ root, registry: emptyRegistry }) });
  expect(result.code, explain(result)).toBe(0);
}

type State = Map<string, { version: string; changelog: string | undefined; manifest: ReturnType<typeof readManifest> }>;

function state(dest: string): State {
  return new Map(
    workspace.map((pkg) => {
      const dir = join(dest, relative(repoRoot, pkg.dir));
      const changelog = join(dir, 'CHANGELOG.md');
      const manifest = readManifest(dir);
      return [pkg.name, { version: manifest.version, changelog: existsSync(changelog) ? readFileSync(changelog, 'utf8') : undefined, manifest }];
    }),
  );
}

function bump(version: string, type: 'major' | 'minor' | 'patch'): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * Whether a dependency spec written against `from` still admits `to`, as changesets reads
 * it: `workspace:*` is the exact version, `workspace:^` and `workspace:~` a caret and a
 * tilde range on it. Plain x.y.z versions only (no prereleases). A caret on 0.x admits the
 * same minor only (^0.1.0 is 0.1.*, ^0.0.0 is 0.0.0 alone), as in semver.
 */
function admits(spec: string, from: string, to: string): boolean {
  const [a, b, c] = from.split('.').map(Number) as [number, number, number];
  const [x, y, z] = to.split('.').map(Number) as [number, number, number];
  const atLeast = x !== a ? x > a : y !== b ? y > b : z >= c;
  if (spec === 'workspace:*') return to === from;
  if (spec === 'workspace:~') return atLeast && x === a && y === b;
  if (spec === 'workspace:^') return atLeast && x === a && (a > 0 || (y === b && (b > 0 || z === c)));
  throw new Error(`the pack test does not know how changesets reads ${spec}`);
}

/**
 * What .changeset/config.json implies for a set of releases from the versions in `before`:
 * each named package bumped by its type; a public package depending on a released one at
 * run time bumped by a patch when the released version leaves its range (with
 * `workspace:^`, a patch never does; a 0.x minor does), transitively, unless named itself;
 * devDependents and private packages never.
 */
function expectedVersions(before: State, releases: Record<string, 'minor' | 'patch'>): Map<string, string> {
  const from = (name: string) => before.get(name)!.version;
  const next = new Map(Object.entries(releases).map(([name, type]) => [name, bump(from(name), type)]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const pkg of publicPackages) {
      if (next.has(pkg.name)) continue;
      const { dependencies, peerDependencies, optionalDependencies } = before.get(pkg.name)!.manifest;
      const leaves = Object.entries({ ...dependencies, ...peerDependencies, ...optionalDependencies }).some(([dep, spec]) => next.has(dep) && !admits(spec, from(dep), next.get(dep)!));
      if (leaves) {
        next.set(pkg.name, bump(from(pkg.name), 'patch'));
        changed = true;
      }
    }
  }
  return new Map(workspace.map((p) => [p.name, next.get(p.name) ?? from(p.name)]));
}

function assertVersions(dest: string, before: State, releases: Record<string, 'minor' | 'patch'>, summaries: Record<string, string>): void {
  const after = state(dest);
  const expected = expectedVersions(before, releases);
  const bumped = new Set([...expected].filter(([name, version]) => version !== before.get(name)!.version).map(([name]) => name));
  for (const pkg of workspace) {
    const now = after.get(pkg.name)!;
    expect(now.version, `${pkg.name}'s version`).toBe(expected.get(pkg.name));
    if (!bumped.has(pkg.name)) {
      expect(now.changelog, `${pkg.name} was not released but has a new CHANGELOG`).toBe(existsSync(join(pkg.dir, 'CHANGELOG.md')) ? readFileSync(join(pkg.dir, 'CHANGELOG.md'), 'utf8') : undefined);
      continue;
    }
    expect(now.changelog, `${pkg.name} has no CHANGELOG.md`).toBeDefined();
    expect(now.changelog).toContain(`## ${now.version}`);
    if (pkg.name in releases) expect(now.changelog).toContain(summaries[pkg.name]);
    else expect(now.changelog).toMatch(/### Patch Changes\s+- Updated dependencies/);
    // Internal ranges stay on the workspace protocol: pnpm writes the real versions at pack time.
    for (const [dep, spec] of Object.entries(now.manifest.dependencies ?? {})) {
      if (workspace.some((p) => p.name === dep)) expect(spec, `${pkg.name} -> ${dep}`).toBe(pkg.manifest.dependencies?.[dep]);
    }
  }
  // The changesets were used up.
  expect(readdirSync(join(dest, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
}

describe('changesets', () => {
  it('config is what these tests assume (no fixed or linked groups, private packages not versioned)', () => {
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.ignore ?? []).toEqual([]);
    expect(config.privatePackages).toEqual({ version: false, tag: false });
    expect(config.updateInternalDependencies).toBe('patch');
    // Every internal run-time dependency is `workspace:^`: changesets reads it as a caret on
    // the dependency's current version, and patches a dependent only when a release leaves it.
    for (const pkg of publicPackages) {
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
        for (const [dep, spec] of Object.entries(pkg.manifest[field] ?? {})) if (dep.startsWith('@gtorr/')) expect(spec, `${pkg.name} -> ${dep}`).toBe('workspace:^');
      }
    }
  });

  it('a changeset for @gtorr/bencode bumps it and patches every package that depends on it, nothing else', async () => {
    const dest = copyWorkspace();
    const before = state(dest);
    const summary = 'feat(bencode): a change for the pack test';
    writeChangeset(dest, 'bencode-change', { '@gtorr/bencode': 'minor' }, summary);
    await changesetVersion(dest);
    assertVersions(dest, before, { '@gtorr/bencode': 'minor' }, { '@gtorr/bencode': summary });
    // Spelled out once, beside the computed expectation: metainfo is built on bencode.
    expect(state(dest).get('@gtorr/metainfo')!.version).toBe(bump(workspace.find((p) => p.name === '@gtorr/metainfo')!.version, 'patch'));
  });

  it('changesets touching several packages: each named one bumped by its type, shared dependents patched once', async () => {
    const dest = copyWorkspace();
    const summaries = {
      '@gtorr/wire': 'feat(wire): a change for the pack test',
      '@gtorr/tracker-udp': 'fix(tracker-udp): a fix for the pack test',
      gtorr: 'feat(cli): a command for the pack test',
    };
    writeChangeset(dest, 'wire-and-udp', { '@gtorr/wire': 'minor', '@gtorr/tracker-udp': 'patch' }, `${summaries['@gtorr/wire']}\n\n${summaries['@gtorr/tracker-udp']}`);
    writeChangeset(dest, 'cli', { gtorr: 'minor' }, summaries.gtorr);
    const before = state(dest);
    await changesetVersion(dest);
    assertVersions(dest, before, { '@gtorr/wire': 'minor', '@gtorr/tracker-udp': 'patch', gtorr: 'minor' }, summaries);
  });

  // From 0.1.0, as after the first release: the caret ranges decide who is released.
  it('after a release at 0.1.0, a patch to @gtorr/bencode releases it alone', async () => {
    const dest = copyWorkspace({ version: '0.1.0' });
    const before = state(dest);
    const summary = 'fix(bencode): a fix for the pack test';
    writeChangeset(dest, 'bencode-fix', { '@gtorr/bencode': 'patch' }, summary);
    await changesetVersion(dest);
    assertVersions(dest, before, { '@gtorr/bencode': 'patch' }, { '@gtorr/bencode': summary });
    // Spelled out: 0.1.1 is inside the ^0.1.0 that the packages above were published with.
    const after = state(dest);
    expect(after.get('@gtorr/bencode')!.version).toBe('0.1.1');
    for (const pkg of publicPackages.filter((p) => p.name !== '@gtorr/bencode')) expect(after.get(pkg.name)!.version, pkg.name).toBe('0.1.0');
  });

  it('after a release at 0.1.0, a minor of @gtorr/bencode patches its dependents (^0.1.0 does not admit 0.2.0)', async () => {
    const dest = copyWorkspace({ version: '0.1.0' });
    const before = state(dest);
    const summary = 'feat(bencode): a change for the pack test';
    writeChangeset(dest, 'bencode-change', { '@gtorr/bencode': 'minor' }, summary);
    await changesetVersion(dest);
    assertVersions(dest, before, { '@gtorr/bencode': 'minor' }, { '@gtorr/bencode': summary });
    const after = state(dest);
    expect(after.get('@gtorr/bencode')!.version).toBe('0.2.0');
    expect(after.get('@gtorr/metainfo')!.version).toBe('0.1.1');
    // tracker-udp does not depend on bencode.
    expect(after.get('@gtorr/tracker-udp')!.version).toBe('0.1.0');
  });

  it.runIf(pendingChangesets.length > 0)("the repository's pending changesets version cleanly", async () => {
    const dest = copyWorkspace({ pending: true });
    await changesetVersion(dest);
    const after = state(dest);
    for (const file of pendingChangesets) {
      const text = readFileSync(join(repoRoot, '.changeset', file), 'utf8');
      const [, front = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
      const firstLine = body.trim().split('\n')[0] ?? '';
      for (const [, name] of front.matchAll(/^["']?([^"':]+)["']?\s*:\s*(?:major|minor|patch)\s*$/gm)) {
        const now = after.get(name!);
        expect(now, `${file} names ${name}, which is not a workspace package`).toBeDefined();
        expect(now!.version, `${name} (from ${file})`).not.toBe(workspace.find((p) => p.name === name)!.version);
        expect(now!.changelog, `${name}'s CHANGELOG lacks ${file}`).toContain(firstLine);
      }
    }
    for (const pkg of workspace.filter((p) => p.private)) expect(after.get(pkg.name)!.version).toBe(pkg.version);
  });

  describe('publish dry run', () => {
    let registry: Awaited<ReturnType<typeof startFakeRegistry>>;
    beforeAll(async () => {
      registry = await startFakeRegistry();
    });
    afterAll(async () => {
      await registry.close();
    });

    it('pnpm publish -r --dry-run publishes every public package at its new version, and nothing private, writing nothing', async () => {
      const dest = copyWorkspace({ pending: true });
      writeChangeset(dest, 'publish', Object.fromEntries(publicPackages.map((p) => [p.name, 'patch'])), 'fix: a release for the pack test');
      await changesetVersion(dest);
      const versions = state(dest);
      const result = await run('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks', '--report-summary'], {
        cwd: dest,
        env: npmEnv({ root, registry: registry.url }),
        timeoutMs: 120_000,
      });
      expect(result.code, explain(result)).toBe(0);
      const summary = JSON.parse(readFileSync(join(dest, 'pnpm-publish-summary.json'), 'utf8')) as { publishedPackages: { name: string; version: string }[] };
      expect(summary.publishedPackages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(publicPackages.map((p) => `${p.name}@${versions.get(p.name)!.version}`).sort());
      // pnpm and npm ask the (fake) registry whether each version exists, a read, proving
      // the registry setting took; nothing may be sent to it.
      expect(registry.requests.length).toBeGreaterThan(0);
      expect(registry.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
      const asked = new Set(registry.requests.map((r) => decodeURIComponent(r.url.slice(1))));
      expect([...asked].filter((name) => !publicPackages.some((p) => p.name === name))).toEqual([]);
      // The checkout was not touched.
      for (const pkg of workspace) expect(readManifest(pkg.dir).version).toBe(pkg.version);
    }, 180_000);
  });
});
