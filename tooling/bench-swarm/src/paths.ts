import { fileURLToPath } from 'node:url';

/** The monorepo's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Git-ignored, and left out of turbo's inputs: big generated data lives here. */
export const CACHE = fileURLToPath(new URL('../../../fixtures/.cache/bench-swarm/', import.meta.url));

/** The built gtorr command line. */
export const GTORR_BIN = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));
