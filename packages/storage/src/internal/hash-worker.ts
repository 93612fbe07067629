// The body of each HashPool worker, built as its own entry (dist/hash-worker.js). It hashes
// the bytes it is sent and sends them straight back (transferred, never copied) with the
// hashes, so the pool can reuse the buffer for the next piece.
import { parentPort } from 'node:worker_threads';
import { runHashJob, type HashJob } from './piece-hash.js';

export interface WorkerRequest {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly job: HashJob;
}

export interface WorkerResponse {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly sha1: Uint8Array | undefined;
  readonly v2: Uint8Array | undefined;
  readonly error: string | undefined;
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: WorkerRequest) => {
    let response: WorkerResponse;
    try {
      const hashes = runHashJob(new Uint8Array(request.buffer, request.byteOffset, request.byteLength), request.job);
      response = { id: request.id, buffer: request.buffer, sha1: hashes.sha1, v2: hashes.v2, error: undefined };
    } catch (error) {
      response = { id: request.id, buffer: request.buffer, sha1: undefined, v2: undefined, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(response, [request.buffer]);
  });
}
