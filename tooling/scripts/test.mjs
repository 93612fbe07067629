#!/usr/bin/env node
// `pnpm test`: runs every package's vitest suite through turbo (each writes a JSON report
// beside its package.json), then prints one closing line over all of them:
//   "tests: N passed, N failed, N skipped"
// and exits non-zero when any package failed. Extra arguments go to turbo (e.g. --filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const REPORT = 'test-report.json';

const run = spawnSync(
  'pnpm',
  // Two suites at a time on a machine of two cores: each runs its files in parallel already, and
  // more would only make CPU-bound tests (fast-check properties, 50,000-file storage) time out.
  // The timeouts are for a loaded CI machine; no test measures speed.
  ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=2', ...process.argv.slice(2), '--', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, '--testTimeout=30000', '--hookTimeout=60000'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const perPackage = [];
for (const group of ['packages', 'apps', 'tooling', 'examples']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const report = join(dir, name, REPORT);
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    perPackage.push(`${group}/${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${(r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)} skipped`);
  }
}
console.log(`\n${perPackage.join('\n')}`);
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a suite that crashed before reporting still fails the run
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status);
