import type { PeerConnectFailure, Torrent } from '@gtorr/client';
import { type Metainfo, toHex } from '@gtorr/metainfo';
import type { Io } from '../io.js';
import { printable } from '../commands/info.js';
import { connectFailureLine } from './connect-failure-line.js';
import { emitJson } from './json-events.js';
import { ProgressLine } from './progress-line.js';
import { progressFields, type TorrentStatus } from './torrent-status.js';

export interface TorrentReporterOptions {
  /** One JSON event a line on stdout instead of the live line. */
  readonly json: boolean;
  /** The live line for a snapshot (`downloadLine`, `seedLine`). */
  readonly line: (status: TorrentStatus) => string;
  /** Peer connects and disconnects as "peer" events, failed dials as "peer:connect-failed" events, with --json. Default true. */
  readonly peerEvents?: boolean;
}

// Warnings repeat (a tracker that is down fails every announce): each text is shown once.
const MAX_WARNINGS_SHOWN = 50;

/**
 * Shows a running torrent: on a terminal a live line on stderr, redrawn five times a
 * second; with --json, "progress" events once a second and one event for each thing that
 * happens (metadata, check, peer, peer:connect-failed, announce, warning). Without
 * --json, warnings and failed dials to peers given by hand are lines on stderr. Errors
 * are left to the command, which decides the exit code.
 */
export class TorrentReporter {
  private readonly progressLine: ProgressLine;
  private timer: NodeJS.Timeout | undefined;
  private readonly warned = new Set<string>();
  private live = false;

  constructor(
    private readonly io: Io,
    private readonly torrent: Torrent,
    private readonly options: TorrentReporterOptions,
  ) {
    this.progressLine = new ProgressLine(io);
  }

  start(): void {
    const t = this.torrent;
    const json = this.options.json;
    // Handlers stay attached after stop() (the torrent is done with by then); `live` mutes them.
    // A .torrent file's metadata may be known before anyone could listen: shown once either way.
    let metadataShown = false;
    const showMetadata = (metainfo: Metainfo) => {
      if (!this.live || metadataShown) return;
      metadataShown = true;
      if (json) emitJson(this.io, 'metadata', metadataFields(metainfo));
    };
    t.on('metadata', showMetadata);
    t.on('check:done', (result) => {
      if (this.live && json) emitJson(this.io, 'check', { verified: result.verified, pieceCount: result.pieceCount, reason: result.reason });
    });
    t.on('state:change', (state) => {
      if (!this.live) return;
      if (json) emitJson(this.io, 'state', { state });
      else this.draw(true);
    });
    if (json && this.options.peerEvents !== false) {
      t.on('peer:connect', (peer) => {
        if (this.live) emitJson(this.io, 'peer', { action: 'connect', address: peer.address, direction: peer.direction, client: peer.client ?? null });
      });
      t.on('peer:disconnect', (address, reason) => {
        if (this.live) emitJson(this.io, 'peer', { action: 'disconnect', address, reason: reason?.message ?? null });
      });
      t.on('peer:connect-failed', (failure) => {
        if (this.live) emitJson(this.io, 'peer:connect-failed', connectFailureFields(failure));
      });
    }
    if (!json) {
      // Only the peers given by hand: a swarm's tracker and PEX peers fail to connect all the
      // time, and would bury the terminal.
      t.on('peer:connect-failed', (failure) => {
        if (this.live && failure.source === 'manual') this.print(this.io.stderr, connectFailureLine(failure));
      });
    }
    t.on('peer:ban', (host, reason) => this.warn(`banned ${host}: ${reason}`));
    t.on('tracker:announce', (outcome) => {
      if (!this.live || !json) return;
      emitJson(this.io, 'announce', { url: outcome.url, announceEvent: outcome.event ?? null, peers: outcome.peers ?? null, seeds: outcome.seeds ?? null, leechers: outcome.leechers ?? null, error: outcome.error?.message ?? null });
    });
    t.on('warning', (warning) => this.warn(warning.message, (warning as { code?: unknown }).code));
    this.live = true;
    if (t.metainfo !== undefined) showMetadata(t.metainfo);
    this.timer = setInterval(() => this.tick(), json ? 1000 : 200);
    // The torrent's sockets keep the process alive, not the display.
    this.timer.unref();
    if (!json) this.draw(true);
  }

  /** Draws the line or prints a "progress" event now (also on stop, so the last numbers are seen). */
  tick(): void {
    if (this.options.json) emitJson(this.io, 'progress', progressFields(this.torrent.progress()));
    else this.draw(false);
  }

  /** Stops drawing and printing; the line is cleared. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.live = false;
    this.progressLine.clear();
  }

  /** Writes text (lines) to stdout or stderr without tearing the live line, which is redrawn below it. */
  print(stream: Io['stdout'], text: string): void {
    this.progressLine.clear();
    stream.write(text);
    this.draw(true);
  }

  private warn(text: string, code?: unknown): void {
    // A tracker URL's query (info hash, counters) changes every announce and says nothing to the user.
    const message = text.replace(/(\b(?:https?|udp):\/\/[^\s?)]+)\?[^\s)]*/g, '$1');
    if (!this.live || this.warned.has(message) || this.warned.size >= MAX_WARNINGS_SHOWN) return;
    this.warned.add(message);
    if (this.options.json) emitJson(this.io, 'warning', { message, ...(typeof code === 'string' ? { code } : {}) });
    else this.print(this.io.stderr, `gtorr: warning: ${printable(message)}\n`);
  }

  private draw(force: boolean): void {
    if (!this.live) return;
    this.progressLine.update(this.options.line(this.torrent.progress()), force);
  }
}

/** A "peer:connect-failed" event's fields, flat: `code` is null when the failure had none. */
export function connectFailureFields(failure: PeerConnectFailure): Record<string, unknown> {
  const { address, source, error, retryInMs } = failure;
  return { address, source, code: error.code ?? null, message: error.message, retryInMs };
}

/** A "metadata" event's fields: what `gtorr info --json` says of a torrent, in brief. */
export function metadataFields(metainfo: Metainfo): Record<string, unknown> {
  const files = metainfo.files.filter((f) => !f.padding);
  return {
    name: metainfo.name,
    infoHash: metainfo.infoHash.v1 ? toHex(metainfo.infoHash.v1) : null,
    infoHashV2: metainfo.infoHash.v2 ? toHex(metainfo.infoHash.v2) : null,
    length: files.reduce((sum, f) => sum + f.length, 0),
    pieceLength: metainfo.pieceLength,
    pieceCount: metainfo.pieceCount,
    files: files.length,
  };
}
