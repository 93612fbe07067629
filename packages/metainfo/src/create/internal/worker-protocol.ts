// What the hashing pool and its threads say to each other.
import type { HashSettings } from './hash-range.js';

export interface WorkerInit {
  readonly paths: readonly string[];
  readonly settings: HashSettings;
  readonly chunkSize: number;
  /** One Int32: set to 1 by the pool when the work is cancelled, read before every read. */
  readonly abortFlag: SharedArrayBuffer;
}

export type WorkerReply =
  | { readonly id: number; readonly v1: Uint8Array | null; readonly v2: Uint8Array | null; readonly error?: undefined }
  | { readonly id: number; readonly error: { name: string; message: string; code?: string; file?: number } };

/** Thrown inside a thread that sees the abort flag, to stop mid-job. */
export class AbortedInWorker extends Error {
  override readonly name = 'AbortedInWorker';
}
