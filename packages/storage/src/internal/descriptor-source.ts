// A storage whose pieces hash workers may read themselves, from descriptors it opened (with
// all its path checks) and keeps open while they read. FileStorage registers itself here;
// the checker looks it up. Kept off the public API: descriptors are an implementation detail.
import type { DescriptorSpan } from './hash-worker.js';

export interface PinnedPiece {
  readonly spans: readonly DescriptorSpan[];
  /** For each span, the file it reads (for errors). */
  readonly files: readonly { readonly path: string; readonly fileIndex: number }[];
  /** Lets the files be closed again. */
  readonly release: () => Promise<void>;
}

export interface DescriptorSource {
  /** The storage's cap on open files: pinning more at once than it allows would wait forever. */
  readonly maxOpenFiles: number;
  /** Opens the piece's files and holds them open; undefined when a file is missing or has no descriptor. */
  pin(piece: number): Promise<PinnedPiece | undefined>;
}

export const descriptorSources = new WeakMap<object, DescriptorSource>();
