// Command-line options shared by the two benchmarks.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  readonly rounds: number;
  /** Bytes of the one file of the torrent. */
  readonly size: number;
  readonly pieceLength: number;
  /** Check the SHA-1 of the downloaded file after every run, not only each contender's first. */
  readonly verifyAll: boolean;
  /** Bound on one run, in milliseconds. */
  readonly runTimeoutMs: number;
  /** Where the JSON results go (default: beside the cached torrent). */
  readonly out: string | undefined;
  /** Contender names to run (default: all). */
  readonly only: readonly string[] | undefined;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i;
const UNITS: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `1G`, `4GiB`, `512M`, `1048576`: binary units. */
export function parseSize(text: string, flag: string): number {
  const match = SIZE.exec(text.trim());
  if (!match) throw new RangeError(`${flag}: not a size: ${JSON.stringify(text)} (try 1G, 512M)`);
  const bytes = Math.round(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`${flag}: out of range: ${text}`);
  return bytes;
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

export const USAGE = `Options:
  --rounds N          rounds of every contender, interleaved (default 3)
  --size S            size of the torrent's one file of random data (default 1G; 4G for the RSS check)
  --piece-length S    piece length (default 1M)
  --only A,B          run only these contenders
  --verify-all        check the SHA-1 of every download (default: each contender's first)
  --timeout SECONDS   bound on one run (default: 120 s, or 8 MiB/s of the size if longer)
  --out FILE          JSON results (default: fixtures/.cache/bench-swarm/results/NAME-DATE.json)
  -h, --help          show this help`;

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rounds: { type: 'string' },
      size: { type: 'string' },
      'piece-length': { type: 'string' },
      only: { type: 'string' },
      'verify-all': { type: 'boolean' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const rounds = Number(values.rounds ?? '3');
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new RangeError(`--rounds: a whole number from 1 to 100, got ${values.rounds}`);
  const size = parseSize(values.size ?? '1G', '--size');
  const pieceLength = parseSize(values['piece-length'] ?? '1M', '--piece-length');
  if (pieceLength < 16384 || (pieceLength & (pieceLength - 1)) !== 0) throw new RangeError('--piece-length: a power of two of 16K or more');
  const timeoutSeconds = values.timeout === undefined ? Math.max(120, size / (8 * 2 ** 20)) : Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new RangeError(`--timeout: seconds, got ${values.timeout}`);
  return {
    rounds,
    size,
    pieceLength,
    verifyAll: values['verify-all'] === true,
    runTimeoutMs: Math.round(timeoutSeconds * 1000),
    out: values.out,
    only: values.only?.split(',').map((s) => s.trim()).filter(Boolean),
  };
}
