// libtorrent (through /usr/bin/python3 and the shared scripts in fixtures/scripts) making and
// reading .torrent files, for tests that compare our output with the reference
// implementation. Every call is bounded by a timeout.
import { execFileSync } from 'node:child_process';
import { fixturePath } from '@gtorr/fixtures';
import { SYSTEM_PYTHON } from '@gtorr/interop';

/** Writes libtorrent's .torrent of `path` to `out` (files in sorted order, creation date pinned). */
export function libtorrentCreate(path: string, pieceLength: number, mode: 'v1' | 'v2' | 'hybrid', out: string): void {
  const script = fixturePath('scripts/libtorrent-create.py');
  execFileSync(SYSTEM_PYTHON, [script, '--mode', mode, '--piece-length', String(pieceLength), '--out', out, path], { timeout: 20_000, stdio: 'pipe' });
}

/** How libtorrent reads a .torrent (see fixtures/scripts/libtorrent-inspect.py). */
export interface LibtorrentView {
  readonly error?: string;
  readonly infoHash: string | null;
  readonly infoHashV2: string | null;
  readonly name: string;
  readonly pieceLength: number;
  readonly pieceCount: number;
  /** Components, the torrent's folder first for a multi-file torrent. */
  readonly files: readonly { readonly path: readonly string[]; readonly length: number; readonly padding: boolean }[];
}

/** Loads `torrentPath` with `lt.torrent_info`, which checks it, Merkle trees included. */
export function libtorrentRead(torrentPath: string): LibtorrentView {
  const out = execFileSync(SYSTEM_PYTHON, [fixturePath('scripts/libtorrent-inspect.py'), torrentPath], { timeout: 20_000, encoding: 'utf8', stdio: 'pipe' });
  const [view] = JSON.parse(out) as LibtorrentView[];
  if (!view || view.error !== undefined) throw new Error(`libtorrent refused ${torrentPath}: ${view?.error ?? 'no answer'}`);
  return view;
}
