/** Where the CLI reads and writes: the real process, or captured streams in tests. */
export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on the first Ctrl-C (SIGINT) or SIGTERM; commands stop cleanly on it. */
  readonly signal: AbortSignal;
}

export function nodeIo(): Io {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      controller.abort(new Error(`stopped by ${name}`));
      return;
    }
    // A second Ctrl-C forces: the user asked twice.
    process.stderr.write('gtorr: forced exit\n');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal };
}
