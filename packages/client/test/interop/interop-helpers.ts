// Shared parts of the interop tests: a small multi-file v1 torrent made by libtorrent (an
// empty file, a file smaller than a piece, pieces that span files), a journal of a gtorr
// torrent's events for failure messages, and bounded waits that say what the swarm was doing.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { makeSwarmFixture, stopAll, type ReferenceClient, type SwarmFixture } from '@gtorr/interop';
import { parseTorrent, type Metainfo } from '@gtorr/metainfo';
import { HttpTrackerClient } from '@gtorr/tracker-http';
import type { Torrent } from '../../src/index.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { cleanup, downloaded, within } from '../engine/swarm-helpers.js';

/** The torrent's name: its root folder. */
export const NAME = 'interop';
/** 32 KiB: 98 pieces, so that aria2 has many HAVEs to batch and two leechers have pieces to trade. */
export const PIECE_LENGTH = 32 * 1024;
// 3.2 MB in all. Sizes off the piece length, so that pieces span files; tiny.txt is smaller
// than a piece; empty.dat has no piece at all.
const FILES: Readonly<Record<string, number>> = {
  'big.bin': 2_500_000,
  'sub/mid.bin': 700_001,
  'tiny.txt': 1000,
  'empty.dat': 0,
};

/** The swarm fixture of `@gtorr/interop`, parsed. */
export interface InteropFixture extends SwarmFixture {
  readonly metainfo: Metainfo;
}

/**
 * The hooks of every interop file: one fixture for the file (read it through the returned
 * function, inside tests), and every reference client, session and folder stopped or removed
 * after each test.
 */
export function useInteropFixture(): () => InteropFixture {
  let fixture: InteropFixture | undefined;
  beforeAll(async () => {
    fixture = await makeInteropFixture();
  }, 30_000);
  afterEach(async () => {
    // Every reference client and tracker, and the folders they own.
    await stopAll();
    await cleanup();
  });
  afterAll(() => fixture?.remove());
  return () => fixture!;
}

/** Random data on disk and a v1 .torrent of it made by libtorrent's create_torrent, with no trackers in it. */
export async function makeInteropFixture(): Promise<InteropFixture> {
  const fixture = await makeSwarmFixture({ name: NAME, files: FILES, pieceLength: PIECE_LENGTH });
  return { ...fixture, metainfo: parseTorrent(readFileSync(fixture.torrentPath)) };
}

/**
 * Everything a gtorr torrent reports (peers coming and going with their errors, warnings,
 * bans, hash failures, tracker outcomes, state changes), timestamped: what a failing test
 * prints so that its report says what the engine did.
 */
export class Journal {
  readonly #lines: string[] = [];
  readonly #start = performance.now();
  readonly label: string;
  /**
   * Every peer that connected, by address: its direction and the client it named. The
   * extended handshake (`v`) usually comes after `peer:connect`, and no public event tells
   * when: it is read from the connection (`peerMap` is the engine's, internal).
   */
  readonly connected = new Map<string, { direction: string; client: string | undefined }>();

  constructor(label: string, torrent: Torrent) {
    this.label = label;
    torrent.on('state:change', (state) => this.#add(`state ${state}`));
    torrent.on('metadata', () => this.#add('metadata'));
    torrent.on('check:done', (r) => this.#add(`check done: ${r.verified}/${r.pieceCount} (${r.reason})`));
    torrent.on('peer:connect', (p) => {
      const known = { direction: p.direction, client: p.client };
      this.connected.set(p.address, known);
      this.#add(`peer:connect ${p.address} ${p.direction} client=${p.client ?? '?'} pieces=${p.pieces}`);
      torrent.peerMap.get(p.address)?.connection.once('extended:handshake', (handshake) => {
        known.client ??= handshake.v;
        this.#add(`peer ${p.address} is ${handshake.v ?? '?'}`);
      });
    });
    torrent.on('peer:disconnect', (address, reason) => this.#add(`peer:disconnect ${address}${reason === undefined ? '' : ` ${describeError(reason)}`}`));
    torrent.on('peer:ban', (host, why) => this.#add(`peer:ban ${host}: ${why}`));
    torrent.on('piece:failed', (piece, peers) => this.#add(`piece:failed ${piece} from ${peers.join(', ')}`));
    torrent.on('tracker:announce', (o) =>
      this.#add(`tracker:announce ${o.url} ${o.event ?? '-'} ${o.error === undefined ? `peers=${o.peers} seeds=${o.seeds} leechers=${o.leechers}` : describeError(o.error)}`),
    );
    torrent.on('warning', (w) => this.#add(`warning ${describeError(w)}`));
    torrent.on('error', (e) => this.#add(`error ${describeError(e)}`));
    torrent.on('done', () => this.#add('done'));
  }

  /** Whether a peer naming itself `client...` (e.g. `libtorrent`) was connected at some point. */
  met(client: string): boolean {
    return [...this.connected.values()].some((p) => p.client?.toLowerCase().startsWith(client.toLowerCase()) === true);
  }

  #add(line: string): void {
    if (this.#lines.length < 400) this.#lines.push(`${((performance.now() - this.#start) / 1000).toFixed(2)}s ${line}`);
  }

  toString(): string {
    return `--- gtorr ${this.label} ---\n${this.#lines.join('\n')}`;
  }
}

function describeError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}${cause}`;
}

/** What a failure message says about a gtorr torrent right now. */
export function describeTorrent(journal: Journal, torrent: Torrent): string {
  const { percent, downloaded: down, uploaded, peers, state } = torrent.progress();
  const now = torrent.peers().map((p) => `${p.address} ${p.client ?? '?'} pieces=${p.pieces} amChoking=${p.amChoking} amInterested=${p.amInterested} peerChoking=${p.peerChoking} peerInterested=${p.peerInterested}`);
  return `${journal.toString()}\nnow: ${state} ${percent}% downloaded=${down} uploaded=${uploaded} peers=${peers}\n${now.join('\n')}`;
}

/** The last lines a reference client printed, labelled. */
export function describeClient(name: string, client: ReferenceClient<unknown, unknown>): string {
  const out = client.process.output();
  return `--- ${name} (last output) ---\n${out.slice(-3000)}`;
}

/**
 * Waits (bounded) for `what`; on failure rethrows with the journals of gtorr torrents and
 * the output of the reference clients, so the failure tells what each side did.
 */
export async function explained<T>(what: Promise<T>, context: { torrents?: [Journal, Torrent][]; clients?: [string, ReferenceClient<unknown, unknown>][] }): Promise<T> {
  try {
    return await what;
  } catch (error) {
    const parts = [(error as Error).message, ...(context.torrents ?? []).map(([j, t]) => describeTorrent(j, t)), ...(context.clients ?? []).map(([n, c]) => describeClient(n, c))];
    throw new Error(parts.join('\n\n'), { cause: error });
  }
}

/** A gtorr download, bounded (and failed at once by a ban), explained on failure. */
export function gtorrDownload(torrent: Torrent, journal: Journal, ms: number, clients: [string, ReferenceClient<unknown, unknown>][] = []): Promise<void> {
  return explained(downloaded(torrent, ms), { torrents: [[journal, torrent]], clients });
}

/** A reference client's `done`, bounded by `ms` (and by its own timeout), explained on failure. */
export function clientDone<T>(name: string, client: ReferenceClient<unknown, T>, ms: number, torrents: [Journal, Torrent][] = []): Promise<T> {
  return explained(within(client.done, ms, `${name} to finish`), { torrents, clients: [[name, client]] });
}

/** Polls a tracker's scrape until it counts `seeds` seeds of `infoHash` (hex): a seed is findable then. Bounded. */
export async function trackerHasSeeds(announceUrl: string, infoHash: string, seeds: number, ms: number): Promise<void> {
  const client = new HttpTrackerClient({ timeoutMs: 2000 });
  const hash = Uint8Array.from(Buffer.from(infoHash, 'hex'));
  const deadline = performance.now() + ms;
  let last = 'no answer';
  for (;;) {
    try {
      const { files } = await client.scrape(announceUrl, [hash]);
      const file = files[0];
      last = file === undefined ? 'not in the scrape' : `complete=${file.complete} incomplete=${file.incomplete}`;
      if (file !== undefined && file.complete >= seeds) return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (performance.now() > deadline) throw new Error(`the tracker did not count ${seeds} seed(s) within ${ms} ms (last scrape: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The last value of `field` in a libtorrent client's JSON progress lines (e.g. `uploaded`). */
export function lastLibtorrentField(client: ReferenceClient<unknown, unknown>, field: string): number | undefined {
  let value: number | undefined;
  for (const line of client.process.output().split('\n')) {
    if (!line.startsWith('{"')) continue;
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      if (typeof event[field] === 'number') value = event[field];
    } catch {
      // a line cut by the output buffer's trimming
    }
  }
  return value;
}
