import type { Socket } from 'node:net';

/**
 * The sending half of a connection: batches writes, holds messages until the handshake is
 * done, and says when to wait.
 *
 * - Everything written in one tick goes out in one `writev` (cork now, uncork on the next
 *   tick), so a piece's 13-byte header and its block leave together without being copied
 *   into one buffer.
 * - `write` returns false past `highWaterMark` queued bytes; `onDrain` runs once the socket
 *   has drained after such a false.
 */
export class SocketWriter {
  private held: Uint8Array[] | undefined = [];
  private corked = false;
  private waiting = false;
  private readonly highWaterMark: number;
  private readonly uncork = () => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(
    private readonly socket: Socket,
    highWaterMark: number,
    onDrain: () => void,
  ) {
    if (!Number.isInteger(highWaterMark) || highWaterMark < 1) throw new RangeError('wire: writeHighWaterMark must be a positive integer');
    // Never below the socket's own mark: a false from us must mean the socket will emit 'drain'.
    this.highWaterMark = Math.max(highWaterMark, socket.writableHighWaterMark);
    socket.on('drain', () => {
      if (!this.waiting) return;
      this.waiting = false;
      onDrain();
    });
  }

  /** True after `write` returned false, until the drain. */
  get needDrain(): boolean {
    return this.waiting;
  }

  /** Writes now, ahead of anything held (the handshakes). */
  writeNow(bytes: Uint8Array): boolean {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(bytes);
    if (this.socket.writableLength < this.highWaterMark) return true;
    this.waiting = true;
    return false;
  }

  /** Writes, or holds the bytes until `release()` while the handshake is not done. */
  write(bytes: Uint8Array): boolean {
    if (this.held) {
      this.held.push(bytes);
      return true;
    }
    return this.writeNow(bytes);
  }

  /** Sends what was held, and writes directly from now on. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const bytes of held) this.writeNow(bytes);
  }

  /** Drops what was held (the connection is closing). */
  discard(): void {
    this.held = undefined;
  }
}
