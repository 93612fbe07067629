import { type MagnetLink, type Metainfo, MetainfoError, parseMagnet, toHex } from '@gtorr/metainfo';
import { parseFile, readTorrentFile } from './commands/info.js';
import { InputError } from './errors.js';

/** What the user named on the command line: a parsed .torrent file or a magnet link. */
export type TorrentSource = { readonly kind: 'file'; readonly metainfo: Metainfo } | { readonly kind: 'magnet'; readonly link: MagnetLink };

/** Reads and parses a .torrent file or a magnet link; an InputError (exit 2) for anything unusable. */
export async function loadTorrentSource(source: string, cwd: string): Promise<TorrentSource> {
  if (/^magnet:/i.test(source)) {
    try {
      return { kind: 'magnet', link: parseMagnet(source) };
    } catch (error) {
      if (error instanceof MetainfoError) throw new InputError(`not a usable magnet link: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return { kind: 'file', metainfo: parseFile(source, await readTorrentFile(source, cwd)) };
}

/** The name to show before the metadata is known. */
export function sourceName(source: TorrentSource): string {
  if (source.kind === 'file') return source.metainfo.name;
  return source.link.name ?? toHex((source.link.infoHash.v1 ?? source.link.infoHash.v2)!);
}
