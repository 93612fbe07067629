#!/usr/bin/env node
// Checks the layering of ../shared/ARCHITECTURE.md on every workspace package:
//  - @gtorr/* dependencies and imports point down the layers only;
//  - library packages have no runtime dependency outside Node and @gtorr/*;
//  - every bare import in src/ is a node: builtin or a declared dependency.
// Exits 1 with one line per violation.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinModules } from 'node:module';

const root = new URL('../..', import.meta.url).pathname;

/** Layer rank: a package may depend only on packages of a strictly lower rank. */
export const LAYERS = {
  '@gtorr/bencode': 0,
  '@gtorr/metainfo': 1,
  '@gtorr/tracker-http': 2,
  '@gtorr/tracker-udp': 2,
  '@gtorr/wire': 2,
  '@gtorr/storage': 2,
  '@gtorr/dht': 2,
  '@gtorr/client': 3,
  gtorr: 4,
};

const builtins = new Set(builtinModules);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

function packageOf(specifier) {
  if (specifier.startsWith('@')) return specifier.split('/').slice(0, 2).join('/');
  return specifier.split('/')[0];
}

const importPattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

const problems = [];
for (const group of ['packages', 'apps']) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const dir of readdirSync(base)) {
    const pkgPath = join(base, dir, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const rank = LAYERS[pkg.name];
    const where = relative(root, join(base, dir));
    if (rank === undefined) {
      problems.push(`${where}: package ${pkg.name} has no layer in tooling/scripts/check-layers.mjs`);
      continue;
    }
    const isLibrary = group === 'packages';
    const deps = Object.keys(pkg.dependencies ?? {});
    for (const dep of deps) {
      if (dep in LAYERS) {
        if (!(LAYERS[dep] < rank)) problems.push(`${where}: depends on ${dep}, which is not on a lower layer`);
      } else if (isLibrary) {
        problems.push(`${where}: runtime dependency outside Node and @gtorr/*: ${dep}`);
      }
    }
    const src = join(base, dir, 'src');
    if (!existsSync(src)) continue;
    for (const file of walk(src)) {
      // Comments hold examples (`import { it } from 'vitest'` in a TSDoc block): skip them.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const m of text.matchAll(importPattern)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec || spec.startsWith('.') || spec.startsWith('node:')) continue;
        if (builtins.has(spec)) {
          problems.push(`${relative(root, file)}: import '${spec}' without the node: prefix`);
          continue;
        }
        const name = packageOf(spec);
        if (name === pkg.name) continue;
        if (!deps.includes(name)) {
          problems.push(`${relative(root, file)}: imports '${spec}', which is not in dependencies`);
        } else if (name in LAYERS && !(LAYERS[name] < rank)) {
          problems.push(`${relative(root, file)}: imports '${spec}', which is not on a lower layer`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`layering: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('layering: ok');
