// The body of each HashPool worker, built as its own entry (dist/hash-worker.js). It hashes
// either bytes it is sent (transferred, never copied, and sent straight back for reuse) or
// bytes it reads itself from descriptors the calling thread opened and keeps open for it:
// then the read and the hash both happen here, and no piece crosses between threads.
import { readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { errnoCode } from './errno.js';
import { runHashJob, type HashJob } from './piece-hash.js';

/** Bytes of a piece to read from an open descriptor: `length` bytes at `position` in the file, to `at` in the piece. */
export interface DescriptorSpan {
  readonly fd: number;
  readonly position: number;
  readonly at: number;
  readonly length: number;
}

export type WorkerSource =
  | { readonly kind: 'buffer'; readonly buffer: ArrayBuffer; readonly byteOffset: number; readonly byteLength: number }
  | { readonly kind: 'descriptors'; readonly spans: readonly DescriptorSpan[] };

export interface WorkerRequest {
  readonly id: number;
  readonly job: HashJob;
  readonly source: WorkerSource;
}

export interface WorkerResponse {
  readonly id: number;
  /** The buffer sent, sent back (buffer sources only). */
  readonly buffer: ArrayBuffer | undefined;
  readonly sha1: Uint8Array | undefined;
  readonly v2: Uint8Array | undefined;
  /** Descriptor sources: the index of the span whose file ended before its bytes did. */
  readonly shortSpan: number | undefined;
  readonly error: { readonly message: string; readonly code: string | undefined; readonly span: number | undefined } | undefined;
}

// One piece at a time per worker: one scratch buffer, grown to the largest piece seen.
let scratch = new Uint8Array(0);

/** A read that failed, and in which span (so the calling thread can name the file). */
class SpanReadError extends Error {
  constructor(
    readonly span: number,
    override readonly cause: unknown,
  ) {
    super('read failed');
  }
}

function readPiece(spans: readonly DescriptorSpan[], length: number): { data: Uint8Array; shortSpan: number | undefined } {
  if (scratch.length < length) scratch = new Uint8Array(length);
  const data = scratch.subarray(0, length);
  let covered = 0;
  for (const [index, span] of spans.entries()) {
    // Pad files and v2 gaps between spans are zeros.
    if (span.at > covered) data.fill(0, covered, span.at);
    let done = 0;
    while (done < span.length) {
      let got: number;
      try {
        got = readSync(span.fd, data, span.at + done, span.length - done, span.position + done);
      } catch (error) {
        throw new SpanReadError(index, error);
      }
      if (got === 0) return { data, shortSpan: index };
      done += got;
    }
    covered = span.at + span.length;
  }
  if (covered < length) data.fill(0, covered);
  return { data, shortSpan: undefined };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: WorkerRequest) => {
    const { source } = request;
    const buffer = source.kind === 'buffer' ? source.buffer : undefined;
    let response: WorkerResponse;
    try {
      let data: Uint8Array;
      let shortSpan: number | undefined;
      if (source.kind === 'buffer') data = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
      else ({ data, shortSpan } = readPiece(source.spans, request.job.length));
      const hashes = shortSpan === undefined ? runHashJob(data, request.job) : { sha1: undefined, v2: undefined };
      response = { id: request.id, buffer, sha1: hashes.sha1, v2: hashes.v2, shortSpan, error: undefined };
    } catch (error) {
      const span = error instanceof SpanReadError ? error.span : undefined;
      const cause = error instanceof SpanReadError ? error.cause : error;
      response = { id: request.id, buffer, sha1: undefined, v2: undefined, shortSpan: undefined, error: { message: cause instanceof Error ? cause.message : String(cause), code: errnoCode(cause), span } };
    }
    port.postMessage(response, buffer === undefined ? [] : [buffer]);
  });
}
