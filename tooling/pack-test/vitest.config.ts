import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Packing and installing happen once, before every test file (see the file's comment).
    globalSetup: ['./test/support/global-setup.ts'],
    // Child processes (npm, pnpm, tsc, node) under a machine shared with the other suites.
    testTimeout: 60_000,
    // The files mostly wait on child processes: let them wait side by side.
    maxWorkers: 5,
    hookTimeout: 120_000,
  },
});
