import { ClientError, ClientErrorCode } from '../errors.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** The promises `Torrent.whenDone` gave out and not yet settled: settled all at once when the torrent completes, fails or stops. */
export class DoneWaiters {
  readonly #waiters = new Set<Waiter>();

  /** A promise settled by `resolveAll` or `rejectAll`, or rejected when `signal` aborts. */
  wait(signal: AbortSignal | undefined): Promise<void> {
    const reason = (): Error => (signal?.reason instanceof Error ? signal.reason : new ClientError(ClientErrorCode.STOPPED, 'aborted'));
    if (signal?.aborted === true) return Promise.reject(reason());
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        reject(reason());
      };
      const settle = (): void => signal?.removeEventListener('abort', onAbort);
      const waiter: Waiter = {
        resolve: () => {
          settle();
          resolve();
        },
        reject: (error: unknown) => {
          settle();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  resolveAll(): void {
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
  }

  rejectAll(error: unknown): void {
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
  }
}
