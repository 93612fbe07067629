import type { Io } from '../io.js';

/**
 * One status line that rewrites itself on a terminal (at most every `intervalMs`), and
 * prints nothing when stderr is not a terminal: logs and pipes get only the final lines.
 * Long work calls `update()` as often as it likes; the line is drawn on stderr so that
 * stdout stays clean for results.
 */
export class ProgressLine {
  private last = 0;
  private shown = false;
  private readonly tty: boolean;

  constructor(
    private readonly io: Io,
    private readonly intervalMs = 200,
    private readonly now: () => number = Date.now,
  ) {
    this.tty = io.stderr.isTTY === true;
  }

  /** Redraws the line with `text` if a terminal is attached and enough time has passed. */
  update(text: string, force = false): void {
    if (!this.tty) return;
    const t = this.now();
    if (!force && this.shown && t - this.last < this.intervalMs) return;
    this.last = t;
    this.shown = true;
    // A terminal of unknown size (a pty nobody sized) says 0 columns.
    const columns = (this.io.stderr as { columns?: number }).columns;
    const width = columns !== undefined && columns > 0 ? columns : 100;
    this.io.stderr.write(`\r\x1b[2K${fit(text, width - 1)}`);
  }

  /** Removes the line, leaving the cursor at the start of an empty line. */
  clear(): void {
    if (this.tty && this.shown) this.io.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

/**
 * `text` cut to `width` characters. Lines made of parts joined by two spaces (most
 * important first) lose whole parts from the end rather than end in half a word.
 */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  const cut = text.lastIndexOf('  ', width);
  return cut > 0 ? text.slice(0, cut) : text.slice(0, width);
}

/** A bar like `[#########...........]` for a fraction done. */
export function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
