// The one tsup build of every gtorr package: ESM only, declarations, source maps, Node 20.
// A package's tsup.config.ts: `export { default } from '@gtorr/tsup-config'`, or
// `library({ entry: [...] })` when it has more entry points (a ./test subpath, a bin).
import { defineConfig } from 'tsup';

/** @param {import('tsup').Options} [overrides] */
export function library(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...overrides,
  });
}

export default library();
