import { parseArgs } from 'node:util';
import type { Torrent } from '@gtorr/client';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import { existingFolder } from '../folder.js';
import type { Io } from '../io.js';
import { startSession } from '../start-session.js';
import { parseTorrentFlags, torrentFlagOptions } from '../torrent-flags.js';
import { loadTorrentSource } from '../torrent-source.js';
import { formatBytes, formatPercent } from '../ui/format.js';
import { emitJson, emitJsonError } from '../ui/json-events.js';
import { TorrentReporter } from '../ui/torrent-reporter.js';
import { progressFields, seedLine, seedSummary } from '../ui/torrent-status.js';
import { untilAborted } from '../until-aborted.js';
import { printable } from './info.js';

const help = `Usage: gtorr seed <torrent-file> -d DIR [--port N] [options]

Serves a torrent's data from DIR to other peers until Ctrl-C. The data is checked
against the torrent's hashes first, unless resume data from an earlier download
or seed (in DIR/.gtorr/) shows it has not changed since. Missing or corrupt pieces
are reported, and the rest is served all the same. The torrent's trackers are told
where to find us.

Options:
  -d, --dir DIR           the folder holding the torrent's data: its folder
                          (multi-file torrents) or its one file (required)
      --port N            port to accept peers on (default 6881, or any free one
                          when 6881 is taken; 0 picks a free one)
      --host H            address to listen on (default: every address)
      --peer HOST:PORT    a peer to connect to as well. Repeatable. Each failed
                          try is a line on stderr, and it is tried again later
      --max-peers N       connected peers at most (default 50)
      --upload-limit R    bytes per second at most, like 500K or 10M (0 for no limit)
      --json              one JSON event a line on stdout: "listening" (with the
                          port) first, then check, warning, peer,
                          peer:connect-failed, announce, progress (once a
                          second) and, after Ctrl-C, stopped
  -h, --help              show this help

Examples:
  gtorr seed ubuntu.torrent -d ~/Downloads
  gtorr seed album.torrent -d /srv/music --port 51413 --upload-limit 1M
  gtorr seed album.torrent -d . --port 0 --json | jq -r 'select(.event == "listening") | .port'

Exit codes: 0 when stopped by Ctrl-C, 1 when the data cannot be read or the port
cannot be had, 2 on bad usage or a torrent that cannot be used.
`;

// Seeding only uploads: no --download-limit.
const { 'download-limit': _downloadLimit, ...seedFlagOptions } = torrentFlagOptions;
const options = { dir: { type: 'string', short: 'd' }, ...seedFlagOptions } as const;

export const seed: Command = {
  name: 'seed',
  summary: 'serve a torrent\'s data to others until Ctrl-C',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('seed takes one .torrent file (see gtorr seed --help)');
    if (values.dir === undefined || values.dir === '') throw new UsageError('seed needs the folder holding the data: -d DIR (see gtorr seed --help)');
    const flags = parseTorrentFlags(values);
    const source = await loadTorrentSource(positionals[0]!, io.cwd);
    if (source.kind !== 'file') throw new UsageError('seed takes a .torrent file: a magnet link has no data to serve (use gtorr download --seed)');
    const metainfo = source.metainfo;
    const directory = await existingFolder(values.dir, io.cwd);
    const json = values.json === true;
    if (io.signal.aborted) return ExitCode.OK;

    const { session, port } = await startSession(flags);
    let reporter: TorrentReporter | undefined;
    try {
      if (json) emitJson(io, 'listening', { port });
      else io.stdout.write(`gtorr seed: serving ${printable(metainfo.name)} (${formatBytes(metainfo.length)}) on port ${port}; press Ctrl-C to stop\n`);
      const started = Date.now();
      const torrent = session.add(metainfo, { directory, peers: flags.peers, maxConnections: flags.maxPeers, uploadRateLimit: flags.uploadLimit });
      const failure = failed(torrent);
      reporter = new TorrentReporter(io, torrent, { json, line: seedLine });
      const shown = reporter;
      torrent.on('check:done', ({ verified, pieceCount }) => {
        if (verified >= pieceCount) {
          if (!json) shown.print(io.stdout, `gtorr seed: checked the data: all ${pieceCount} pieces are here\n`);
          return;
        }
        const message = `only ${verified} of ${pieceCount} pieces of ${metainfo.name} are in ${values.dir} (${formatPercent(pieceCount === 0 ? 1 : verified / pieceCount)}): serving those, and fetching the rest from peers that have it`;
        if (json) emitJson(io, 'warning', { message, code: 'INCOMPLETE', verified, pieceCount });
        else shown.print(io.stderr, `gtorr: warning: ${printable(message)}\n`);
      });
      reporter.start();

      await Promise.race([untilAborted(io.signal), failure]);
      const last = torrent.progress();
      reporter.stop();
      await torrent.stop();
      const elapsedMs = Date.now() - started;
      if (json) emitJson(io, 'stopped', { elapsedMs, ...progressFields(last) });
      else io.stdout.write(seedSummary(last, elapsedMs));
      return ExitCode.OK;
    } catch (error) {
      reporter?.stop();
      if (json) emitJsonError(io, error);
      throw error;
    } finally {
      await session.close();
    }
  },
};

/** Rejects when the torrent fails (its data cannot be read); never resolves otherwise. */
function failed(torrent: Torrent): Promise<never> {
  const failure = new Promise<never>((_, reject) => torrent.once('error', reject));
  // Only awaited through the race above: a failure after Ctrl-C must not go unhandled.
  failure.catch(() => undefined);
  return failure;
}
