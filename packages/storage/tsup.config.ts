import { library } from '@gtorr/tsup-config';

// Three entries: the package, its ./test subpath, and the hash worker, which runs in its
// own thread and is loaded by URL (dist/hash-worker.js) rather than imported.
export default library({ entry: { index: 'src/index.ts', test: 'src/test.ts', 'hash-worker': 'src/internal/hash-worker.ts' } });
