// Runs libtorrent (through /usr/bin/python3) to make or read .torrent files, for tests that
// compare our output with the reference implementation. Every call is bounded by a timeout.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON } from '@gtorr/interop';

const createScript = fileURLToPath(new URL('./libtorrent-create.py', import.meta.url));

/** Writes libtorrent's .torrent of `path` to `out`. */
export function libtorrentCreate(path: string, pieceLength: number, mode: 'v1' | 'v2' | 'hybrid', out: string): void {
  execFileSync(SYSTEM_PYTHON, [createScript, path, String(pieceLength), mode, out], { timeout: 20_000, stdio: 'pipe' });
}

/** What libtorrent reads from a .torrent file. */
export interface LibtorrentView {
  v1: string | null;
  v2: string | null;
  name: string;
  pieceLength: number;
  pieceCount: number;
  totalSize: number;
  files: { path: string; size: number; pad: boolean }[];
}

const readScript = `
import json, sys
import libtorrent as lt
ti = lt.torrent_info(sys.argv[1])
h = ti.info_hashes()
fs = ti.files()
def hexof(x):
    s = str(x)
    return None if set(s) <= {"0"} else s
print(json.dumps({
  "v1": hexof(h.v1) if h.has_v1() else None,
  "v2": hexof(h.v2) if h.has_v2() else None,
  "name": ti.name(),
  "pieceLength": ti.piece_length(),
  "pieceCount": ti.num_pieces(),
  "totalSize": ti.total_size(),
  "files": [{"path": fs.file_path(i), "size": fs.file_size(i), "pad": bool(fs.file_flags(i) & lt.file_storage.flag_pad_file)} for i in range(fs.num_files())],
}))
`;

/** Loads `torrentPath` with `lt.torrent_info` (which validates it, hashes and trees included). */
export function libtorrentRead(torrentPath: string): LibtorrentView {
  const out = execFileSync(SYSTEM_PYTHON, ['-c', readScript, torrentPath], { timeout: 20_000, encoding: 'utf8', stdio: 'pipe' });
  return JSON.parse(out) as LibtorrentView;
}
