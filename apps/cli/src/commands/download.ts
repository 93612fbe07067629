import { parseArgs } from 'node:util';
import type { ClientError, Torrent } from '@gtorr/client';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import { outputFolder } from '../folder.js';
import type { Io } from '../io.js';
import { startSession } from '../start-session.js';
import { parseTorrentFlags, torrentFlagOptions } from '../torrent-flags.js';
import { loadTorrentSource, type TorrentSource } from '../torrent-source.js';
import { emitJson, emitJsonError } from '../ui/json-events.js';
import { TorrentReporter } from '../ui/torrent-reporter.js';
import { downloadLine, downloadSummary, progressFields, seedSummary } from '../ui/torrent-status.js';
import { untilAborted } from '../until-aborted.js';
import { printable } from './info.js';
import { whenDone } from '../when-done.js';

const help = `Usage: gtorr download <torrent-file|magnet> [-o DIR] [--peer HOST:PORT]... [options]

Downloads a torrent into DIR, checking every piece against its hash, then exits 0
once every byte is verified and on disk. Data already in DIR is checked first and
kept, so running the same command again resumes a download. Peers come from the
torrent's trackers, from peers (PEX) and from --peer.

Ctrl-C stops cleanly: trackers are told, what was verified is remembered (in
DIR/.gtorr/), and the exit code is 1 unless the download was complete. A second
Ctrl-C quits at once.

Options:
  -o, --output DIR        the folder to download into (default: the current one);
                          made if missing
      --peer HOST:PORT    a peer to connect to ([IPv6]:PORT for IPv6). Repeatable.
                          Each failed try is a line on stderr, and it is tried
                          again later (15 s, then doubling)
      --seed              go on seeding once done, until Ctrl-C (then exit 0)
      --sequential        fetch pieces in order, first to last (for playing while
                          downloading); a little slower in big swarms
      --port N            port to accept peers on (default 6881, or any free one
                          when 6881 is taken; 0 picks a free one)
      --host H            address to listen on (default: every address)
      --max-peers N       connected peers at most (default 50)
      --download-limit R  bytes per second at most, like 500K or 10M (binary units;
                          0 for no limit, the default)
      --upload-limit R    the same for uploading
      --json              one JSON event a line on stdout instead of the live line:
                          listening, metadata, check, state, peer,
                          peer:connect-failed (any peer), announce, warning,
                          progress (once a second), done, stopped, error
  -h, --help              show this help

Examples:
  gtorr download ubuntu.torrent -o ~/Downloads
  gtorr download 'magnet:?xt=urn:btih:c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd&dn=Sintel'
  gtorr download album.torrent --peer 192.168.1.20:6881 --peer [fe80::1]:6881 --seed
  gtorr download big.torrent --download-limit 2M --json | jq -c 'select(.event == "progress") | .percent'

Exit codes: 0 when everything is downloaded and verified, 1 when stopped before
that or failed (a full disk...), 2 on bad usage or a torrent or magnet that
cannot be used.
`;

const options = {
  output: { type: 'string', short: 'o' },
  seed: { type: 'boolean' },
  sequential: { type: 'boolean' },
  ...torrentFlagOptions,
} as const;

export const download: Command = {
  name: 'download',
  summary: 'download a torrent or magnet link (and seed it with --seed)',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('download takes one .torrent file or magnet link (see gtorr download --help)');
    const flags = parseTorrentFlags(values);
    const source = await loadTorrentSource(positionals[0]!, io.cwd);
    const directory = await outputFolder(values.output ?? '.', io.cwd);
    const json = values.json === true;
    if (io.signal.aborted) return ExitCode.FAILURE;

    const { session, port } = await startSession(flags);
    let reporter: TorrentReporter | undefined;
    try {
      if (json) emitJson(io, 'listening', { port });
      const started = Date.now();
      const torrent = session.add(source.kind === 'file' ? source.metainfo : source.link, {
        directory,
        peers: flags.peers,
        maxConnections: flags.maxPeers,
        // Limits go on the torrent, the session's only one: the same thing with one torrent.
        uploadRateLimit: flags.uploadLimit,
        downloadRateLimit: flags.downloadLimit,
        sequential: values.sequential === true,
      });
      let failure: ClientError | undefined;
      torrent.on('error', (error) => (failure = error));
      reporter = new TorrentReporter(io, torrent, { json, line: downloadLine });
      reporter.start();
      if (!json && flags.peers.length === 0) hintNoPeerSources(source, torrent, reporter, io, port);

      const complete = await finished(torrent, io.signal);
      const doneAt = Date.now();
      const elapsedMs = doneAt - started;
      if (complete) {
        reporter.tick();
        // Without --seed the torrent stops next: no "seeding" line to flash on the way out.
        if (!values.seed) reporter.stop();
        if (json) emitJson(io, 'done', { elapsedMs, ...progressFields(torrent.progress()) });
        else reporter.print(io.stdout, downloadSummary(torrent.progress(), elapsedMs, true));
        if (values.seed) {
          if (!json) reporter.print(io.stderr, `gtorr: seeding ${printable(torrent.name)} until Ctrl-C\n`);
          await seedUntil(torrent, io.signal);
        }
      }
      if (failure) throw failure;
      const last = torrent.progress();
      reporter.stop();
      await torrent.stop();
      const totalMs = Date.now() - started;
      if (json) emitJson(io, 'stopped', { complete, elapsedMs: totalMs, ...progressFields(last) });
      else if (!complete) io.stdout.write(downloadSummary(last, totalMs, false));
      else if (values.seed) io.stdout.write(seedSummary(last, Date.now() - doneAt));
      return complete ? ExitCode.OK : ExitCode.FAILURE;
    } catch (error) {
      reporter?.stop();
      if (json) emitJsonError(io, error);
      throw error;
    } finally {
      await session.close();
    }
  },
};

/** True once every wanted piece is verified and on disk; false when Ctrl-C came first; throws when the torrent fails. */
async function finished(torrent: Torrent, signal: AbortSignal): Promise<boolean> {
  try {
    await whenDone(torrent, signal);
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}

/**
 * A torrent with no trackers, and no --peer, can only wait for peers to find us: said once,
 * when the download starts, so that a line stuck at 0 % with 0 peers is not a mystery. A
 * magnet link with no trackers and no peers is worse off: its metadata must come from a peer,
 * and without a DHT nobody will point one at us, so it says so at once.
 */
function hintNoPeerSources(source: TorrentSource, torrent: Torrent, reporter: TorrentReporter, io: Io, port: number): void {
  if (source.kind === 'magnet') {
    if (source.link.trackers.length > 0 || source.link.peers.length > 0) return;
    reporter.print(io.stderr, `gtorr: this magnet link names no trackers and no peers, and gtorr has no DHT yet: only a peer that connects to us on port ${port} can send the torrent (add peers with --peer HOST:PORT)\n`);
    return;
  }
  if (source.metainfo.announce.flat().length > 0) return;
  const onState = (state: string): void => {
    if (state !== 'downloading') return;
    torrent.off('state:change', onState);
    reporter.print(io.stderr, `gtorr: this torrent lists no trackers and no peers were given: waiting for peers to connect to us on port ${port} (add some with --peer HOST:PORT)\n`);
  };
  torrent.on('state:change', onState);
}

/** Resolves on Ctrl-C; rejects if the torrent fails while seeding (its storage broke). */
function seedUntil(torrent: Torrent, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    torrent.once('error', reject);
    void untilAborted(signal).then(resolve);
  });
}
