// When to save resume data: every `intervalMs` while something changed, once more at stop,
// and whenever the client asks (before it damages a verified piece, for instance). Saves
// never overlap: one runs at a time, in order.
import type { Bitfield } from './bitfield.js';
import type { ResumeStore } from './resume-store.js';
import type { Storage } from './storage.js';

export interface ResumeSaverOptions {
  readonly store: ResumeStore;
  readonly storage: Storage;
  /** The client's bitfield of verified pieces, read at each save. */
  readonly verified: () => Bitfield;
  /** Default 30 s: at most that much verified work is checked again after a crash. */
  readonly intervalMs?: number;
  /** A periodic save that failed (the next one tries again); default: ignored. */
  readonly onError?: (error: unknown) => void;
}

const DEFAULT_INTERVAL_MS = 30_000;

/** Saves resume data periodically while started, and at `stop()`. */
export class ResumeSaver {
  private timer: NodeJS.Timeout | undefined;
  private changed = false;
  private saving: Promise<void> = Promise.resolve();
  private saves = 0;

  constructor(private readonly options: ResumeSaverOptions) {}

  /** How many saves succeeded. */
  get saveCount(): number {
    return this.saves;
  }

  /** Starts saving every `intervalMs` when something changed. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.changed) this.saveNow().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    // A saver alone must not keep a process alive.
    this.timer.unref();
  }

  /** Notes that the verified pieces changed (a piece verified, or one dropped). */
  markChanged(): void {
    this.changed = true;
  }

  /** Saves now (after any save in progress) and resolves once the resume file is durable. */
  saveNow(options: { signal?: AbortSignal } = {}): Promise<void> {
    const run = this.saving.then(async () => {
      this.changed = false;
      try {
        await this.options.store.save(this.options.storage, this.options.verified(), options);
        this.saves++;
      } catch (error) {
        this.changed = true;
        throw error;
      }
    });
    this.saving = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and saves one last time. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.saveNow();
  }
}
