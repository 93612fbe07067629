import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CreatedTorrent, createTorrent, formatMagnet, isValidPieceLength, MAX_PIECE_LENGTH, MIN_PIECE_LENGTH, toHex, type TorrentVersion } from '@gtorr/metainfo';
import type { Command } from '../command.js';
import { ExitCode, InputError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../ui/format.js';
import { emitJson } from '../ui/json-events.js';
import { bar, ProgressLine } from '../ui/progress-line.js';
import { version as appVersion } from '../version.js';

const help = `Usage: gtorr create <file-or-folder> [options]

Makes a .torrent file: hashes every byte (on all cores), then writes <name>.torrent
in the current folder and prints its info hash(es).

Options:
  -t, --tracker URL      a tracker; each -t is a tier of its own, and URLs joined
                         by commas in one -t share a tier (BEP 12). Repeatable.
  -w, --web-seed URL     a web seed (BEP 19). Repeatable.
  -o, --output FILE      where to write the .torrent (default: <name>.torrent here)
  -f, --force            overwrite the output file if it exists
      --v1               a v1 torrent (BEP 3); the default, see below
      --v2               a v2-only torrent (BEP 52: SHA-256 Merkle trees per file)
      --hybrid           v1 and v2 in one torrent (BEP 52), with BEP 47 pad files
      --piece-length N   bytes per piece, a power of two from 16K to 128M
                         (suffixes K and M); default: at most 2048 pieces,
                         between 16 KiB and 16 MiB
      --private          private torrent (BEP 27): peers from trackers only
      --comment TEXT     a comment
      --source TEXT      a source tag in the info dictionary (private trackers)
      --name NAME        the torrent's name (default: the file or folder's name)
      --include-hidden   include files and folders whose names start with "."
      --no-date          leave out the creation date (same input, same bytes)
      --threads N        hashing threads (default: all cores)
      --json             print JSON events (hash:progress, torrent:created) on stdout
  -h, --help             show this help

Why v1 by default: every client reads v1 torrents, while v2 and hybrid ones are
refused by older clients still in wide use (transmission 3, rtorrent before 0.15,
many libraries), and hybrid torrents add pad files that clients without BEP 47
support write to disk. Choose --hybrid to reach both v1 and v2 swarms.

Files are taken in path order; hidden files are left out unless --include-hidden;
symbolic links, sockets and devices inside the folder are skipped (and named);
empty folders leave no trace; empty files are kept.

Examples:
  gtorr create photos -t http://tracker.example/announce
  gtorr create movie.mkv --hybrid -t udp://a.example:6969,udp://b.example:6969 -t http://c.example/announce
  gtorr create dataset --private --piece-length 4M -o dataset.torrent --force
`;

const options = {
  tracker: { type: 'string', short: 't', multiple: true },
  'web-seed': { type: 'string', short: 'w', multiple: true },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean', short: 'f' },
  v1: { type: 'boolean' },
  v2: { type: 'boolean' },
  hybrid: { type: 'boolean' },
  'piece-length': { type: 'string' },
  private: { type: 'boolean' },
  comment: { type: 'string' },
  source: { type: 'string' },
  name: { type: 'string' },
  'include-hidden': { type: 'boolean' },
  'no-date': { type: 'boolean' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const create: Command = {
  name: 'create',
  summary: 'make a .torrent file of a file or folder',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('create takes one file or folder (see gtorr create --help)');
    const input = resolve(io.cwd, positionals[0]!);
    const torrentVersion = versionOf(values);
    const pieceLength = values['piece-length'] === undefined ? undefined : parsePieceLength(values['piece-length']);
    const threads = values.threads === undefined ? undefined : parseThreads(values.threads);
    const announce = (values.tracker ?? []).map((tier) => splitUrls(tier, '-t'));
    const urlList = (values['web-seed'] ?? []).flatMap((url) => splitUrls(url, '-w'));
    await checkInput(input, positionals[0]!);

    const name = values.name ?? undefined;
    const output = resolve(io.cwd, values.output ?? `${name ?? baseName(input)}.torrent`);
    // Refuse before hashing, not after: hashing can take minutes.
    if (!values.force && (await exists(output))) throw new InputError(`${output} exists (use --force to overwrite it)`);

    const progress = new Progress(io, values.json === true);
    let created: CreatedTorrent;
    try {
      created = await createTorrent(input, {
        version: torrentVersion,
        pieceLength,
        name,
        announce,
        urlList,
        private: values.private ?? false,
        comment: values.comment,
        source: values.source,
        createdBy: `gtorr/${appVersion()}`,
        creationDate: values['no-date'] ? null : undefined,
        includeHidden: values['include-hidden'] ?? false,
        threads,
        onProgress: (p) => progress.update(p.bytesHashed, p.totalBytes),
        signal: io.signal,
      });
    } finally {
      progress.done();
    }
    await writeOutput(output, created.torrent, values.force === true);
    report(io, values.json === true, created, output, announce.flat());
    return ExitCode.OK;
  },
};

function versionOf(values: { v1?: boolean; v2?: boolean; hybrid?: boolean }): TorrentVersion {
  const chosen = (['v1', 'v2', 'hybrid'] as const).filter((v) => values[v]);
  if (chosen.length > 1) throw new UsageError(`choose one of --v1, --v2 and --hybrid, not ${chosen.map((v) => `--${v}`).join(' and ')}`);
  return chosen[0] === 'v2' ? 2 : chosen[0] === 'hybrid' ? 'hybrid' : 1;
}

/** "262144", "256K", "256KiB", "4M", "4MiB" -> bytes; a usage error unless a power of two in range. */
export function parsePieceLength(text: string): number {
  const match = /^(\d+)\s*(k|kib|kb|m|mib|mb)?$/i.exec(text.trim());
  const unit = match?.[2]?.[0]?.toLowerCase();
  const bytes = match ? Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1) : Number.NaN;
  if (!isValidPieceLength(bytes)) {
    throw new UsageError(`--piece-length must be a power of two from ${formatBytes(MIN_PIECE_LENGTH)} to ${formatBytes(MAX_PIECE_LENGTH)} (like 256K or 1M), got ${JSON.stringify(text)}`);
  }
  return bytes;
}

function parseThreads(text: string): number {
  const threads = Number(text);
  if (!/^\d+$/.test(text) || threads < 1 || threads > 256) throw new UsageError(`--threads must be a whole number from 1 to 256, got ${JSON.stringify(text)}`);
  return threads;
}

function splitUrls(text: string, flag: string): string[] {
  const urls = text.split(',').map((u) => u.trim()).filter((u) => u !== '');
  for (const url of urls) {
    if (!URL.canParse(url)) throw new UsageError(`${flag}: not a URL: ${JSON.stringify(url)}`);
  }
  if (urls.length === 0) throw new UsageError(`${flag} needs a URL`);
  return urls;
}

async function checkInput(path: string, given: string): Promise<void> {
  try {
    const stats = await stat(path);
    if (!stats.isFile() && !stats.isDirectory()) throw new InputError(`${given} is neither a file nor a folder`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${given}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`, { cause: error });
  }
}

function baseName(path: string): string {
  return path.split('/').filter((part) => part !== '').at(-1) ?? 'torrent';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function writeOutput(path: string, bytes: Uint8Array, force: boolean): Promise<void> {
  let file;
  try {
    // 'wx' fails if the file appeared while we hashed: never overwrite without --force.
    file = await open(path, force ? 'w' : 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new InputError(`${path} exists (use --force to overwrite it)`, { cause: error });
    throw new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    await file.writeFile(bytes);
  } finally {
    await file.close();
  }
}

/** The live line on a terminal, or `hash:progress` events at most once a second with --json. */
class Progress {
  private readonly line: ProgressLine;
  private readonly started = Date.now();
  private lastJson = 0;

  constructor(
    private readonly io: Io,
    private readonly json: boolean,
  ) {
    this.line = new ProgressLine(io);
  }

  update(done: number, total: number): void {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    if (this.json) {
      if (Date.now() - this.lastJson < 1000 && done < total) return;
      this.lastJson = Date.now();
      emitJson(this.io, 'hash:progress', { bytesHashed: done, totalBytes: total });
      return;
    }
    const eta = rate > 0 ? (total - done) / rate : undefined;
    this.line.update(`hashing ${bar(done / total)} ${formatPercent(done / total)}  ${formatBytes(done)} of ${formatBytes(total)}  ${formatRate(rate)}  ETA ${formatDuration(eta)}`, done === total);
  }

  done(): void {
    this.line.clear();
  }
}

function report(io: Io, json: boolean, created: CreatedTorrent, output: string, trackers: readonly string[]): void {
  const v1 = created.infoHash.v1 ? toHex(created.infoHash.v1) : null;
  const v2 = created.infoHash.v2 ? toHex(created.infoHash.v2) : null;
  if (json) {
    emitJson(io, 'torrent:created', {
      output,
      infoHash: v1,
      infoHashV2: v2,
      name: created.name,
      version: created.version,
      pieceLength: created.pieceLength,
      pieceCount: created.pieceCount,
      length: created.length,
      files: created.files.length,
      skipped: created.skipped,
    });
    return;
  }
  for (const path of created.skipped) io.stderr.write(`gtorr: skipped ${path} (not a regular file or folder)\n`);
  const lines: [string, string][] = [
    ['created', output],
    ['name', created.name],
    ['version', created.version === 'hybrid' ? 'hybrid (v1 and v2)' : `v${created.version}`],
    ['size', `${formatBytes(created.length)} in ${created.files.length} ${created.files.length === 1 ? 'file' : 'files'}`],
    ['pieces', `${created.pieceCount} of ${formatBytes(created.pieceLength)}`],
  ];
  if (v1) lines.push(['info hash v1', v1]);
  if (v2) lines.push(['info hash v2', v2]);
  lines.push(['magnet', formatMagnet({ infoHash: created.infoHash, name: created.name, trackers })]);
  const width = Math.max(...lines.map(([label]) => label.length));
  io.stdout.write(lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n');
}
