// Entry of a hashing thread (built by tsup as dist/hash-worker.js). It is given the file
// paths and settings once, then hashes one job a message, reading the files itself so that
// file data never crosses threads. Only the hashes travel back, as transferred buffers.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { hashJob, type JobHashes, type ReadFile } from './hash-range.js';
import type { HashJob } from './layout.js';
import { AbortedInWorker, type WorkerInit, type WorkerReply } from './worker-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('hash-worker must run as a worker thread');
const buffer = Buffer.allocUnsafe(init.chunkSize);
const zeros = Buffer.alloc(Math.min(init.chunkSize, init.settings.pieceLength));
const abort = new Int32Array(init.abortFlag);

port.postMessage('started');
port.on('message', (message: { id: number; job: HashJob }) => {
  // Files are opened per job and always closed: a thread that is stopped mid-job must not
  // leave descriptors behind in the process it shares.
  const open = new Map<number, number>();
  const read: ReadFile = (file, position, into) => {
    if (Atomics.load(abort, 0) !== 0) throw new AbortedInWorker();
    let fd = open.get(file);
    if (fd === undefined) {
      fd = openSync(init.paths[file]!, 'r');
      open.set(file, fd);
    }
    return readSync(fd, into, 0, into.length, position);
  };
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const hashes: JobHashes = hashJob(message.job, init.settings, read, buffer, zeros);
    for (const part of [hashes.v1, hashes.v2]) if (part) transfer.push(part.buffer as ArrayBuffer);
    reply = { id: message.id, v1: hashes.v1, v2: hashes.v2 };
  } catch (error) {
    reply = { id: message.id, error: errorFields(error) };
  } finally {
    for (const fd of open.values()) closeSync(fd);
  }
  port.postMessage(reply, transfer);
});

function errorFields(error: unknown): { name: string; message: string; code?: string; file?: number } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, file } = error as { code?: unknown; file?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof file === 'number' ? { file } : {}),
  };
}
