// Every library README's `## Example` runs as written: each ```js block of that section,
// saved as an .mjs file in the project the tarballs were installed in, run with node.
// (Examples that read a file get a real .torrent as their first argument.) An example that
// needs more than the package (a swarm to download from) is only checked for syntax here.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '@gtorr/fixtures';
import { describe, expect, inject, it } from 'vitest';
import { explain, npmEnv, run } from './support/run.js';

const { root, projectDir, registry, packages } = inject('packTest');
const examplesDir = join(projectDir, 'readme-examples');
mkdirSync(examplesDir, { recursive: true });

/** Examples that cannot run on their own, and where the same code does run. */
const NOT_STANDALONE: Record<string, string> = {
  '@gtorr/client': 'it downloads a real torrent from a swarm; examples/download-in-memory runs the same against a local seeder',
};

/** The ```js blocks of a README's `## Example...` section. */
function exampleBlocks(readme: string): string[] {
  const section = /^## Example\b.*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');
}

describe.each(packages.filter((p) => !p.app).map((p) => [p.name, p] as const))('README of %s', (name, pkg) => {
  const blocks = exampleBlocks(readFileSync(join(pkg.dir, 'README.md'), 'utf8')).map((code, i) => ({
    code,
    file: join(examplesDir, `${name.replace(/[@/]/g, '_')}-${i + 1}.mjs`),
  }));

  it('has an ## Example section with JavaScript to run', () => {
    expect(blocks.length, `${name}'s README has no \`\`\`js block under "## Example"`).toBeGreaterThan(0);
  });

  if (name in NOT_STANDALONE) {
    it.each(blocks.map((b, i) => [i + 1, b] as const))('example %i is valid JavaScript (it needs a swarm to run)', async (_i, { code, file }) => {
      writeFileSync(file, code);
      const result = await run(process.execPath, ['--check', file], { cwd: examplesDir });
      expect(result.code, explain(result)).toBe(0);
    });
    return;
  }

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %i runs as written from the installed package', async (_i, { code, file }) => {
    writeFileSync(file, code);
    const env = { ...npmEnv({ root, registry }), TMPDIR: root };
    const result = await run(process.execPath, [file, fixturePath('torrents/mktorrent/single.torrent')], { cwd: examplesDir, env, timeoutMs: 30_000 });
    expect(result.code, explain(result)).toBe(0);
    expect(result.stderr, explain(result)).toBe('');
    expect(result.stdout.trim().length).toBeGreaterThan(0);
  });
});
