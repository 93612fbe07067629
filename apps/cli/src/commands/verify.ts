import { parseArgs } from 'node:util';
import type { Metainfo } from '@gtorr/metainfo';
import { checkTorrent, FileStorage, StorageError, type CheckProgress, type CheckResult, type FileCheck } from '@gtorr/storage';
import type { Command } from '../command.js';
import { ExitCode, InputError, UsageError } from '../errors.js';
import { existingFolder } from '../folder.js';
import type { Io } from '../io.js';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../ui/format.js';
import { emitJson } from '../ui/json-events.js';
import { bar, ProgressLine } from '../ui/progress-line.js';
import { parseFile, printable, readTorrentFile } from './info.js';

const help = `Usage: gtorr verify <torrent-file> -d DIR [--json]

Checks the data of a torrent, as downloaded into DIR, against the torrent's piece
hashes (SHA-1 for v1, SHA-256 Merkle trees for v2, both for hybrid torrents), on
every core, and says which files are complete, partial or missing. Reads only:
nothing in DIR is created or changed.

Options:
  -d, --dir DIR  the folder the torrent was downloaded into: it holds the torrent's
                 folder (multi-file torrents) or its one file (required)
  --json         one JSON object a line on stdout: "progress" events, one "file"
                 event per file, then a "summary"
  -h, --help     show this help

Examples:
  gtorr verify ubuntu.torrent -d ~/Downloads
  gtorr verify photos.torrent -d /mnt/backup --json | jq -c 'select(.event == "file" and .state != "complete")'

Exit codes: 0 when every file is there and every piece is correct, 1 when data is
missing, corrupt or unreadable, 2 on bad usage or a torrent that cannot be used.
`;

const STATE_WIDTH = 'complete'.length;

export const verify: Command = {
  name: 'verify',
  summary: 'check downloaded data against a torrent\'s hashes',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args, options: { dir: { type: 'string', short: 'd' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('verify takes one .torrent file (see gtorr verify --help)');
    if (values.dir === undefined || values.dir === '') throw new UsageError('verify needs the download folder: -d DIR (see gtorr verify --help)');
    const source = positionals[0]!;
    const metainfo = parseFile(source, await readTorrentFile(source, io.cwd));
    const dir = await existingFolder(values.dir, io.cwd);
    let storage: FileStorage;
    try {
      storage = new FileStorage(metainfo, dir, { readOnly: true });
    } catch (error) {
      if (error instanceof StorageError) throw new InputError(`${source}: not a usable torrent: ${error.message}`, { cause: error });
      throw error;
    }
    const json = values.json === true;
    const line = new ProgressLine(io);
    try {
      const result = await checkTorrent(storage, {
        signal: io.signal,
        progressIntervalMs: json ? 1000 : 200,
        onProgress: (progress) => (json ? emitJson(io, 'progress', progressFields(progress)) : line.update(progressText(progress))),
      });
      line.clear();
      if (json) reportJson(io, metainfo, result);
      else io.stdout.write(reportText(metainfo, result));
      return result.complete ? ExitCode.OK : ExitCode.FAILURE;
    } finally {
      line.clear();
      await storage.close();
    }
  },
};

function progressFields(p: CheckProgress): Record<string, unknown> {
  return { bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, piecesDone: p.piecesDone, piecesTotal: p.piecesTotal, verified: p.verified, failed: p.failed, missing: p.missing };
}

function progressText(p: CheckProgress): string {
  const fraction = p.bytesTotal === 0 ? 1 : p.bytesDone / p.bytesTotal;
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.bytesDone / seconds : 0;
  const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : undefined;
  return `checking ${bar(fraction)} ${formatPercent(fraction)}  ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}  ${formatRate(rate)}  ETA ${formatDuration(eta)}`;
}

function fileLine(file: FileCheck): string {
  const detail = file.state === 'partial' ? `  (${formatPercent(file.length === 0 ? 0 : file.verifiedBytes / file.length)} verified${file.error ? `; ${file.error.message}` : ''})` : '';
  return `${file.state.padEnd(STATE_WIDTH)}  ${formatBytes(file.length).padStart(10)}  ${printable(file.path.join('/'))}${detail}\n`;
}

function counts(result: CheckResult): Record<'complete' | 'partial' | 'missing', number> {
  const out = { complete: 0, partial: 0, missing: 0 };
  for (const file of result.files) out[file.state]++;
  return out;
}

function reportText(metainfo: Metainfo, result: CheckResult): string {
  const files = counts(result);
  const pieces = metainfo.pieceCount;
  const seconds = result.elapsedMs / 1000;
  // Bytes of the files themselves: pad files and v2 gaps are not data anyone has to hold.
  const payload = result.files.reduce((sum, file) => sum + file.length, 0);
  const summary = [
    `${result.files.length} ${result.files.length === 1 ? 'file' : 'files'}: ${files.complete} complete, ${files.partial} partial, ${files.missing} missing`,
    `${result.counts.verified} of ${pieces} pieces verified (${formatPercent(pieces === 0 ? 1 : result.counts.verified / pieces)}), ${result.counts.failed} failed, ${result.counts.missing} missing`,
    `${formatBytes(payload)} checked in ${seconds.toFixed(1)}s (${formatRate(seconds > 0 ? payload / seconds : 0)})`,
  ];
  const verdict = result.complete ? 'all data is present and correct' : 'data is missing or corrupt';
  return `${result.files.map(fileLine).join('')}\n${summary.join('\n')}\n${verdict}\n`;
}

function reportJson(io: Io, metainfo: Metainfo, result: CheckResult): void {
  for (const file of result.files) {
    emitJson(io, 'file', { path: file.path, length: file.length, state: file.state, verifiedBytes: file.verifiedBytes, sizeOnDisk: file.sizeOnDisk ?? null, ...(file.error ? { error: file.error.code } : {}) });
  }
  const files = counts(result);
  emitJson(io, 'summary', {
    complete: result.complete,
    files: { total: result.files.length, ...files },
    pieces: { total: metainfo.pieceCount, ...result.counts },
    bytesVerified: result.bytesVerified,
    elapsedMs: Math.round(result.elapsedMs),
  });
}
