import { BencodeError, type BencodeMap, type BencodeValue, decodeWithSpans } from '@gtorr/bencode';
import { MetainfoError, MetainfoErrorCode as Code } from './errors.js';
import { asText, fail, isMap, preferUtf8 } from './internal/fields.js';
import { digest } from './internal/hash.js';
import { readV1, type V1Layout } from './internal/info-v1.js';
import { isV2PieceLength, readPieceLayers, readV2, type V2Layout } from './internal/info-v2.js';
import { DEFAULT_LIMITS, type Limits } from './internal/limits.js';
import { checkDuplicatePaths } from './internal/paths.js';
import { sanitizePathComponent } from './path-component.js';
import type { FileEntry, Metainfo } from './types.js';

/** Limits on untrusted input. Anything over a limit is refused with `METAINFO_LIMIT_EXCEEDED`. */
export interface ParseOptions {
  /** Most files (pad files included). Default 1,000,000. */
  maxFiles?: number;
  /** Most pieces. Default 2,097,152 (2^21, as libtorrent). */
  maxPieces?: number;
  /** Largest piece length in bytes. Default 512 MiB. */
  maxPieceLength?: number;
  /** Most components in one file path (folders plus the file). Default 100. */
  maxPathDepth?: number;
}

// Room for the dictionaries and lists around a path: torrent > info > file tree ... > file > "".
const STRUCTURE_DEPTH = 8;

/**
 * Reads a .torrent file: v1 (BEP 3), v2 (BEP 52) or hybrid. Both info hashes are taken over
 * the info dictionary's original bytes. Dictionary keys out of order are accepted (real files
 * have them); everything that decides which bytes go where is checked strictly.
 *
 * Returned byte arrays (`pieces`, `infoBytes`, roots, layers) are views into `bytes`: keep
 * `bytes` unchanged while you use them. `bytes` itself is never modified.
 *
 * @throws MetainfoError with a stable `code` for anything malformed or hostile.
 * @example
 * const metainfo = parseTorrent(readFileSync('ubuntu.torrent'));
 * console.log(metainfo.name, toHex(metainfo.infoHash.v1!));
 */
export function parseTorrent(bytes: Uint8Array, options: ParseOptions = {}): Metainfo {
  const limits = resolveLimits(options);
  const { value, raw } = decode(bytes, limits);
  if (!isMap(value)) throw new MetainfoError(Code.NOT_A_DICTIONARY, 'not a torrent file: the top level is not a dictionary', { offset: 0 });
  const info = value.get('info');
  if (!isMap(info)) throw new MetainfoError(Code.MISSING_INFO, 'not a torrent file: no info dictionary', { field: 'info' });
  const parsed = readInfo(info, raw(info)!, limits, (files, pieceLength) => readPieceLayers(value.get('piece layers'), files, pieceLength));
  const creationDate = value.get('creation date');
  return {
    ...parsed,
    announce: readAnnounce(value),
    urlList: readUrlList(value.get('url-list')),
    ...optionalText('comment', value),
    ...optionalText('createdBy', value, 'created by'),
    ...(typeof creationDate === 'number' ? { creationDate } : {}),
  };
}

/**
 * Reads an info dictionary on its own: the metadata a magnet link fetches from peers
 * (BEP 9). Checked like `parseTorrent`; a v2 torrent's piece layers are not part of it, so
 * `pieceLayers` is empty and the hashes come later from peers (BEP 52 hash requests).
 */
export function parseInfoDictionary(infoBytes: Uint8Array, options: ParseOptions = {}): Metainfo {
  const limits = resolveLimits(options);
  const { value } = decode(infoBytes, limits);
  if (!isMap(value)) throw new MetainfoError(Code.MISSING_INFO, 'the info dictionary is not a dictionary', { offset: 0 });
  const parsed = readInfo(value, infoBytes, limits, () => new Map());
  return { ...parsed, announce: [], urlList: [] };
}

type ParsedInfo = Omit<Metainfo, 'announce' | 'urlList' | 'comment' | 'createdBy' | 'creationDate'>;
type LayerReader = (files: readonly FileEntry[], pieceLength: number) => Map<string, Uint8Array>;

function readInfo(info: BencodeMap, infoBytes: Uint8Array, limits: Limits, readLayers: LayerReader): ParsedInfo {
  const metaVersion = info.get('meta version');
  if (metaVersion !== undefined && metaVersion !== 2) {
    fail(Code.BAD_META_VERSION, `meta version ${typeof metaVersion === 'object' ? '(not an integer)' : String(metaVersion)} is not supported`, 'info["meta version"]');
  }
  const hasV2 = metaVersion === 2;
  const hasV1 = !hasV2 || info.has('pieces');
  const pieceLength = readPieceLength(info, hasV2, limits);
  const infoName = readName(info);
  const v1 = hasV1 ? readV1(info, infoName, pieceLength, limits) : undefined;
  const v2 = hasV2 ? readV2(info, pieceLength, limits) : undefined;
  if (v1 && v2) checkHybrid(v1, v2);
  const layout = v1 ?? v2!;
  const name = layout.isDirectory ? infoName : layout.files[0]!.path[0]!;
  const files = v1 && v2 ? withRoots(v1.files, v2.files) : layout.files;
  checkDuplicatePaths(files);
  return {
    infoHash: { v1: hasV1 ? digest('sha1', infoBytes) : null, v2: hasV2 ? digest('sha256', infoBytes) : null },
    version: v1 && v2 ? 'hybrid' : v2 ? 2 : 1,
    name,
    isDirectory: layout.isDirectory,
    pieceLength,
    pieceCount: layout.pieceCount,
    length: layout.length,
    files,
    pieces: v1?.pieces ?? null,
    pieceLayers: v2 ? readLayers(v2.files, pieceLength) : null,
    private: info.get('private') === 1,
    infoBytes,
  };
}

function resolveLimits(options: ParseOptions): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as (keyof Limits)[]) {
    const given = options[key];
    if (given === undefined) continue;
    if (!Number.isSafeInteger(given) || given < 1) throw new RangeError(`metainfo: ${key} must be a positive integer`);
    limits[key] = given;
  }
  return limits;
}

function decode(bytes: Uint8Array, limits: Limits): ReturnType<typeof decodeWithSpans> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('metainfo: expected the torrent as a Uint8Array (or a Buffer)');
  try {
    // Only the info dictionary's span is needed: recording deeper ones costs twice the decode.
    return decodeWithSpans(bytes, { allowUnsortedKeys: true, dictionaries: 'map', maxDepth: limits.maxPathDepth + STRUCTURE_DEPTH, spanDepth: 2 });
  } catch (error) {
    if (!(error instanceof BencodeError)) throw error;
    // The offset goes on our error (and into its message) once, not twice.
    const detail = error.message.replace(/ at byte \d+$/, '');
    throw new MetainfoError(Code.BAD_BENCODE, `not bencode: ${detail}`, { offset: error.offset, cause: error });
  }
}

function readName(info: BencodeMap): string {
  const name = asText(preferUtf8(info, 'name'));
  if (name === undefined) fail(Code.BAD_NAME, 'name is missing or not a string', 'info.name');
  const safe = sanitizePathComponent(name);
  if (safe === undefined) fail(Code.BAD_NAME, `unsafe name ${JSON.stringify(name)}`, 'info.name');
  return safe;
}

function readPieceLength(info: BencodeMap, v2: boolean, limits: Limits): number {
  const value = info.get('piece length');
  if (typeof value !== 'number' || value <= 0) fail(Code.BAD_PIECE_LENGTH, 'piece length is missing or not a positive integer', 'info["piece length"]');
  if (value > limits.maxPieceLength) fail(Code.LIMIT_EXCEEDED, `piece length ${value} is over the limit of ${limits.maxPieceLength}`, 'info["piece length"]');
  if (v2 && !isV2PieceLength(value)) fail(Code.BAD_PIECE_LENGTH, `piece length ${value} is not a power of two of at least 16 KiB (BEP 52)`, 'info["piece length"]');
  return value;
}

/** BEP 52 hybrids: the v1 files, pads aside, must be the v2 files, at the same offsets. */
function checkHybrid(v1: V1Layout, v2: V2Layout): void {
  const real = v1.files.filter((f) => !f.padding);
  if (real.length !== v2.files.length) fail(Code.HYBRID_MISMATCH, `v1 lists ${real.length} files and v2 ${v2.files.length}`, 'info');
  for (const [i, a] of real.entries()) {
    const b = v2.files[i]!;
    const same = a.length === b.length && a.path.length === b.path.length && a.path.every((c, j) => c === b.path[j]);
    if (!same) fail(Code.HYBRID_MISMATCH, `v1 and v2 differ at file ${i}`, 'info');
    // Empty files take no room, so creators differ on whether a pad goes before them.
    if (a.length > 0 && a.offset !== b.offset) fail(Code.HYBRID_MISMATCH, `file ${i} is at ${a.offset} in v1 and ${b.offset} in v2 (missing pad file?)`, 'info');
  }
  if (v1.pieceCount !== v2.pieceCount) fail(Code.HYBRID_MISMATCH, `${v1.pieceCount} pieces in v1 and ${v2.pieceCount} in v2`, 'info');
}

/** The v1 file list of a hybrid, each real file given its v2 pieces root. */
function withRoots(v1Files: readonly FileEntry[], v2Files: readonly FileEntry[]): FileEntry[] {
  let next = 0;
  return v1Files.map((file) => {
    if (file.padding) return file;
    const root = v2Files[next++]?.piecesRoot;
    return root ? { ...file, piecesRoot: root } : file;
  });
}

// BEP 12 tiers when there is at least one, else the single announce URL. Outside the info
// dictionary nothing changes the torrent's identity, so oddities are skipped, not refused.
function readAnnounce(torrent: BencodeMap): string[][] {
  const seen = new Set<string>();
  const keep = (value: BencodeValue | undefined): string | undefined => {
    const url = asText(value)?.trim();
    if (!url || seen.has(url)) return undefined;
    seen.add(url);
    return url;
  };
  const list = torrent.get('announce-list');
  const tiers: string[][] = [];
  if (Array.isArray(list)) {
    for (const tier of list) {
      const urls = (Array.isArray(tier) ? tier : [tier]).map(keep).filter((u) => u !== undefined);
      if (urls.length > 0) tiers.push(urls);
    }
  }
  if (tiers.length > 0) return tiers;
  const announce = keep(torrent.get('announce'));
  return announce ? [[announce]] : [];
}

function readUrlList(value: BencodeValue | undefined): string[] {
  const items = Array.isArray(value) ? value : [value];
  const urls = items.map((item) => asText(item)?.trim()).filter((u): u is string => !!u);
  return [...new Set(urls)];
}

function optionalText<K extends 'comment' | 'createdBy'>(key: K, torrent: BencodeMap, field: string = key): Partial<Record<K, string>> {
  const value = asText(preferUtf8(torrent, field));
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, string>>);
}
