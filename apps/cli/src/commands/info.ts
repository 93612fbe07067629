import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMagnet, type MagnetLink, type Metainfo, MetainfoError, parseMagnet, parseTorrent, toHex } from '@gtorr/metainfo';
import type { Command } from '../command.js';
import { ExitCode, InputError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { formatBytes } from '../ui/format.js';

// Real torrents stay under a few MiB even with 100,000 files; refusing bigger input up front
// keeps a mistaken argument (a video instead of its .torrent) from being read into memory.
const MAX_TORRENT_FILE = 64 * 1024 * 1024;

const help = `Usage: gtorr info [--json] <torrent-file|magnet>

Shows what a .torrent file or a magnet link holds: name, info hashes (v1 and v2),
size and pieces, trackers, web seeds and files. Nothing is downloaded.

Options:
  --json      print one JSON object (the schema in ARCHITECTURE.md) instead of text
  -h, --help  show this help

Examples:
  gtorr info ubuntu.torrent
  gtorr info --json ubuntu.torrent | jq -r '.files[].path | join("/")'
  gtorr info 'magnet:?xt=urn:btih:c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd&dn=Sintel'

A torrent that is malformed, or whose paths would leave the download folder,
is refused with one line on stderr and exit code 2.
`;

export const info: Command = {
  name: 'info',
  summary: 'show what a .torrent file or magnet link holds',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('info takes one .torrent file or magnet link (see gtorr info --help)');
    const source = positionals[0]!;
    if (/^magnet:/i.test(source)) {
      const link = parseMagnet(source);
      io.stdout.write(values.json ? `${JSON.stringify(magnetJson(link))}\n` : describeMagnet(link));
      return ExitCode.OK;
    }
    const metainfo = parseFile(source, await readTorrentFile(source, io.cwd));
    io.stdout.write(values.json ? `${JSON.stringify(torrentJson(metainfo))}\n` : describeTorrent(metainfo));
    return ExitCode.OK;
  },
};

export async function readTorrentFile(source: string, cwd: string): Promise<Uint8Array> {
  const path = resolve(cwd, source);
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw new InputError(`${source} is a folder, not a .torrent file (to make one: gtorr create ${source})`);
    if (stats.size > MAX_TORRENT_FILE) throw new InputError(`${source} is ${formatBytes(stats.size)}: too big to be a .torrent file`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${source}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`, { cause: error });
  }
}

export function parseFile(source: string, bytes: Uint8Array): Metainfo {
  try {
    return parseTorrent(bytes);
  } catch (error) {
    if (error instanceof MetainfoError) throw new InputError(`${source}: not a usable torrent: ${error.message}`, { cause: error });
    throw error;
  }
}

const hexOrNull = (bytes: Uint8Array | null): string | null => (bytes ? toHex(bytes) : null);

/** `gtorr info --json` for a torrent file: the field names and order of ARCHITECTURE.md. */
export function torrentJson(metainfo: Metainfo): Record<string, unknown> {
  return {
    infoHash: hexOrNull(metainfo.infoHash.v1),
    infoHashV2: hexOrNull(metainfo.infoHash.v2),
    name: metainfo.name,
    pieceLength: metainfo.pieceLength,
    pieceCount: metainfo.pieceCount,
    length: metainfo.length,
    private: metainfo.private,
    announce: metainfo.announce,
    urlList: metainfo.urlList,
    files: metainfo.files.map((f) => ({ path: f.path, length: f.length, offset: f.offset, padding: f.padding })),
  };
}

/** `gtorr info --json` for a magnet link: no pieces or files yet; each tracker its own tier, as libtorrent reads `tr`. */
export function magnetJson(link: MagnetLink): Record<string, unknown> {
  return {
    infoHash: hexOrNull(link.infoHash.v1),
    infoHashV2: hexOrNull(link.infoHash.v2),
    name: link.name ?? toHex((link.infoHash.v1 ?? link.infoHash.v2)!),
    private: false,
    announce: link.trackers.map((url) => [url]),
    urlList: link.webSeeds,
    files: [],
    peers: link.peers,
  };
}

function describeTorrent(m: Metainfo): string {
  const lines: [string, string][] = [['name', m.name]];
  if (m.infoHash.v1) lines.push(['info hash v1', toHex(m.infoHash.v1)]);
  if (m.infoHash.v2) lines.push(['info hash v2', toHex(m.infoHash.v2)]);
  lines.push(['version', m.version === 'hybrid' ? 'hybrid (v1 and v2)' : `v${m.version}`]);
  const real = m.files.filter((f) => !f.padding);
  const payload = real.reduce((sum, f) => sum + f.length, 0);
  lines.push(['size', `${formatBytes(payload)} (${payload} bytes) in ${real.length} ${real.length === 1 ? 'file' : 'files'}`]);
  lines.push(['pieces', `${m.pieceCount} of ${formatBytes(m.pieceLength)}`]);
  lines.push(['private', m.private ? 'yes (BEP 27: trackers only, no DHT or PEX)' : 'no']);
  if (m.createdBy !== undefined) lines.push(['created by', m.createdBy]);
  if (m.creationDate !== undefined) lines.push(['created on', dateText(m.creationDate)]);
  if (m.comment !== undefined) lines.push(['comment', m.comment]);
  m.announce.forEach((tier, i) => lines.push([i === 0 ? 'trackers' : '', `tier ${i + 1}: ${tier.join(', ')}`]));
  m.urlList.forEach((url, i) => lines.push([i === 0 ? 'web seeds' : '', url]));
  lines.push(['magnet', formatMagnet({ infoHash: m.infoHash, name: m.name, trackers: m.announce.flat() })]);
  const width = Math.max(...real.map((f) => formatBytes(f.length).length));
  const files = real.map((f) => `  ${formatBytes(f.length).padStart(width)}  ${printable(f.path.join('/'))}`);
  return `${table(lines)}files (${real.length})\n${files.join('\n')}\n`;
}

function describeMagnet(link: MagnetLink): string {
  const lines: [string, string][] = [['name', link.name ?? '(not given)']];
  if (link.infoHash.v1) lines.push(['info hash v1', toHex(link.infoHash.v1)]);
  if (link.infoHash.v2) lines.push(['info hash v2', toHex(link.infoHash.v2)]);
  if (link.length !== undefined) lines.push(['size', `${formatBytes(link.length)} (${link.length} bytes)`]);
  link.trackers.forEach((url, i) => lines.push([i === 0 ? 'trackers' : '', url]));
  link.webSeeds.forEach((url, i) => lines.push([i === 0 ? 'web seeds' : '', url]));
  link.peers.forEach((peer, i) => lines.push([i === 0 ? 'peers' : '', peer]));
  if (link.selectOnly) lines.push(['select only', link.selectOnly.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(',')]);
  return `${table(lines)}(a magnet link: files and pieces are known once the metadata is fetched from peers)\n`;
}

function table(lines: readonly [string, string][]): string {
  const width = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, value]) => `${label.padEnd(width)}  ${printable(value)}\n`).join('');
}

function dateText(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

// Text from a torrent goes to a terminal: control characters and bidirectional overrides
// could rewrite what the user sees, so they are shown escaped.
export function printable(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const hostile = code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    out += hostile ? `\\u{${code.toString(16)}}` : char;
  }
  return out;
}
