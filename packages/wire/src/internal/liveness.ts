import type { Socket } from 'node:net';

export interface LivenessOptions {
  /** Milliseconds with nothing received before `onIdle`; 0 turns it off. */
  idleTimeout: number;
  /** Milliseconds with nothing sent before `onKeepAlive`; 0 turns it off. */
  keepAliveInterval: number;
  /** While this says true the peer is not to blame for silence: the idle clock stands still. */
  paused: () => boolean;
  onIdle: (ms: number) => void;
  onKeepAlive: () => void;
}

/**
 * The idle timeout and the keep-alive clock of one connection, with no per-message cost:
 * one timer ticks at a quarter of the shorter period and compares the socket's byte
 * counters with their last values, instead of re-arming a timer on every message.
 */
export class Liveness {
  private timer: NodeJS.Timeout | undefined;
  private lastRead = 0;
  private lastWritten = 0;
  private readAt = 0;
  private writtenAt = 0;

  constructor(
    private readonly socket: Socket,
    private readonly options: LivenessOptions,
  ) {
    for (const key of ['idleTimeout', 'keepAliveInterval'] as const) {
      const value = options[key];
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`wire: ${key} must be a non-negative number of milliseconds`);
    }
  }

  start(): void {
    const { idleTimeout, keepAliveInterval } = this.options;
    const periods = [idleTimeout, keepAliveInterval].filter((ms) => ms > 0);
    if (periods.length === 0) return;
    const now = Date.now();
    this.readAt = this.writtenAt = now;
    this.lastRead = this.socket.bytesRead;
    this.lastWritten = this.socket.bytesWritten;
    this.timer = setInterval(() => this.tick(), Math.max(1, Math.min(...periods) / 4));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    const { idleTimeout, keepAliveInterval } = this.options;
    const read = this.socket.bytesRead;
    if (read !== this.lastRead || this.options.paused()) {
      this.lastRead = read;
      this.readAt = now;
    }
    const written = this.socket.bytesWritten;
    if (written !== this.lastWritten) {
      this.lastWritten = written;
      this.writtenAt = now;
    }
    if (idleTimeout > 0 && now - this.readAt >= idleTimeout) {
      this.options.onIdle(idleTimeout);
      return;
    }
    if (keepAliveInterval > 0 && now - this.writtenAt >= keepAliveInterval) {
      this.writtenAt = now;
      this.options.onKeepAlive();
    }
  }
}
