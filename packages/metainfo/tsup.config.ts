import { library } from '@gtorr/tsup-config';

// The hashing thread is its own entry, emitted beside the bundle as dist/hash-worker.js,
// where `new URL('./hash-worker.js', import.meta.url)` finds it. It has no types to publish.
export default library({
  entry: { index: 'src/index.ts', 'hash-worker': 'src/create/internal/hash-worker.ts' },
  dts: { entry: { index: 'src/index.ts' } },
});
