// `npm install -g` of the gtorr tarball and the tarballs of what it depends on gives a
// working `gtorr` in <prefix>/bin: every command answers --help, and the commands that need
// no network do their job.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, torrentFixtures } from '@gtorr/fixtures';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { PackedPackage } from './support/global-setup.js';
import { explain, npmEnv, run, runOk, type RunResult } from './support/run.js';
import { readTarballText } from './support/tar.js';
import { readManifest, type PackageManifest } from './support/workspace.js';

const { root, registry, packages } = inject('packTest');
const apps = packages.filter((p) => p.app);
const prefix = join(root, 'global');
const env = { ...npmEnv({ root, registry }), TMPDIR: root };

/** Whether `pkg`'s packed manifest has a dependency that is not one of our tarballs. */
function needsNpm(pkg: PackedPackage): boolean {
  const manifest = JSON.parse(readTarballText(pkg.tarball, 'package.json')) as PackageManifest;
  return Object.keys(manifest.dependencies ?? {}).some((dep) => !packages.some((p) => p.name === dep));
}

/** The @gtorr/* packages `pkg` needs, from the dependencies of the packed manifests. */
function dependencyClosure(pkg: PackedPackage): PackedPackage[] {
  const found = new Map<string, PackedPackage>();
  const visit = (p: PackedPackage) => {
    const manifest = JSON.parse(readTarballText(p.tarball, 'package.json')) as PackageManifest;
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      const packed = packages.find((q) => q.name === dep);
      if (packed && !found.has(dep)) {
        found.set(dep, packed);
        visit(packed);
      }
    }
  };
  visit(pkg);
  return [...found.values()];
}

const cli = packages.find((p) => p.name === 'gtorr');

describe('npm install -g of the gtorr tarball', () => {
  it('is the one app among the public packages', () => {
    expect(apps.map((p) => p.name)).toEqual(['gtorr']);
  });
});

describe.runIf(cli !== undefined)('gtorr installed globally', () => {
  const gtorr = join(prefix, 'bin', 'gtorr');
  const runGtorr = (...args: string[]): Promise<RunResult> => run(gtorr, args, { cwd: root, env, timeoutMs: 30_000 });

  beforeAll(async () => {
    mkdirSync(prefix, { recursive: true });
    const needed = [cli!, ...dependencyClosure(cli!)];
    // The app may use a small library from npm (ARCHITECTURE.md): then, and only then, npm
    // installs it from the registry it is configured with.
    const installEnv = needed.some(needsNpm) ? npmEnv({ root, registry: undefined }) : env;
    await runOk('npm', ['install', '-g', '--prefix', prefix, ...needed.map((p) => p.tarball)], { cwd: root, env: installEnv, timeoutMs: 120_000 });
  });

  it('prints the version of apps/cli/package.json', async () => {
    const result = await runGtorr('--version');
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout.trim()).toBe(readManifest(cli!.dir).version);
  });

  it('shows its usage with --help, and every command it lists shows its own', async () => {
    const help = await runGtorr('--help');
    expect(help.code, explain(help)).toBe(0);
    expect(help.stdout).toContain('Usage');
    // "Commands:" then one "  name  summary" line each, up to a blank line.
    const section = /^Commands:\n((?: {2}\S.*\n)+)/m.exec(help.stdout)?.[1] ?? '';
    const commands = section
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0])
      .filter((c): c is string => Boolean(c));
    expect(commands).toEqual(expect.arrayContaining(['create', 'info', 'verify']));
    for (const command of commands) {
      const result = await runGtorr(command, '--help');
      expect.soft(result.code, explain(result)).toBe(0);
      expect.soft(result.stdout, `gtorr ${command} --help`).toMatch(new RegExp(`Usage|gtorr ${command}`));
    }
  });

  it('gtorr info --json reads a torrent as ARCHITECTURE.md documents', async () => {
    const file = 'torrents/libtorrent/hybrid-multi.torrent';
    const result = await runGtorr('info', fixturePath(file), '--json');
    expect(result.code, explain(result)).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, unknown>;
    const expected = torrentFixtures().find((f) => f.file === file)!.expected!;
    expect(info).toMatchObject({
      infoHash: expected.infoHash,
      infoHashV2: expected.infoHashV2,
      name: expected.name,
      pieceLength: expected.pieceLength,
      pieceCount: expected.pieceCount,
      private: expected.private,
    });
    expect(info).toHaveProperty('files');
    expect(info).toHaveProperty('announce');
  });

  it('gtorr info --json reads a magnet link', async () => {
    const result = await runGtorr('info', '--json', 'magnet:?xt=urn:btih:c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd&dn=Sintel');
    expect(result.code, explain(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ infoHash: 'c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd', name: 'Sintel' });
  });

  it('gtorr create makes a torrent that gtorr verify finds complete (hashing in the installed packages)', async () => {
    const torrent = join(root, 'single.torrent');
    const create = await runGtorr('create', fixturePath('data/gtorr/single.bin'), '-o', torrent, '--piece-length', '32K');
    expect(create.code, explain(create)).toBe(0);
    const info = JSON.parse((await runGtorr('info', '--json', torrent)).stdout) as { infoHash: string };
    // The same info dictionary as mktorrent's for this file and piece length.
    expect(info.infoHash).toBe(torrentFixtures().find((f) => f.file === 'torrents/mktorrent/single.torrent')!.expected!.infoHash);
    const verify = await runGtorr('verify', torrent, '-d', fixturePath('data/gtorr'));
    expect(verify.code, explain(verify)).toBe(0);
  });

  it('exits 2 on a command it does not know', async () => {
    const result = await runGtorr('no-such-command');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gtorr: /);
  });
});
