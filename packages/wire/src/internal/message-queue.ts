import type { EventEmitter } from 'node:events';
import type { WireMessage } from '../codec/messages.js';
import { WireErrorCode, type WireError } from '../errors.js';

interface MessageSource extends EventEmitter {
  readonly destroyed: boolean;
}

/**
 * An async iterator over a connection's `message` events through a bounded queue: at
 * `highWaterMark` queued messages it asks the connection to pause its socket, at half that
 * to resume. Memory held is at most `highWaterMark` messages plus one socket chunk.
 */
export function messageQueue(source: MessageSource, highWaterMark: number, setPaused: (paused: boolean) => void): AsyncIterableIterator<WireMessage> {
  if (!Number.isInteger(highWaterMark) || highWaterMark < 1) throw new RangeError('wire: highWaterMark must be a positive integer');
  const queue: WireMessage[] = [];
  let head = 0;
  let paused = false;
  let ended = source.destroyed;
  let failure: WireError | undefined;
  let wake: (() => void) | undefined;

  const onMessage = (message: WireMessage) => {
    queue.push(message);
    if (!paused && queue.length - head >= highWaterMark) {
      paused = true;
      setPaused(true);
    }
    wake?.();
  };
  const onClose = (error: WireError | undefined) => {
    ended = true;
    // A peer hanging up ends the sequence; anything else is worth an exception.
    if (error && error.code !== WireErrorCode.CLOSED) failure = error;
    wake?.();
  };
  const cleanup = () => {
    source.off('message', onMessage);
    source.off('close', onClose);
    if (paused) setPaused(false);
    paused = false;
    ended = true;
  };
  source.on('message', onMessage);
  source.on('close', onClose);

  const iterator: AsyncIterableIterator<WireMessage> = {
    async next(): Promise<IteratorResult<WireMessage>> {
      for (;;) {
        if (head < queue.length) {
          const value = queue[head]!;
          head++;
          if (head > 1024 || head === queue.length) {
            queue.splice(0, head);
            head = 0;
          }
          if (paused && queue.length - head <= highWaterMark >> 1) {
            paused = false;
            setPaused(false);
          }
          return { value, done: false };
        }
        if (ended) {
          cleanup();
          if (failure) {
            const error = failure;
            failure = undefined;
            throw error;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    return(): Promise<IteratorResult<WireMessage>> {
      cleanup();
      queue.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
