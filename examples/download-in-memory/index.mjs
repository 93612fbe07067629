// Downloads a torrent into memory, never touching the disk, and prints the SHA-256 of each
// file: @gtorr/client does the swarm work, a MemoryStorage from @gtorr/storage holds the data.
//
//   node index.mjs <file.torrent | magnet:?...> [HOST:PORT ...]
//
// Peers come from the torrent's trackers, and from the addresses given after it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Session } from '@gtorr/client';
import { parseTorrent } from '@gtorr/metainfo';
import { MemoryStorage } from '@gtorr/storage';

const [source, ...peers] = process.argv.slice(2);
if (source === undefined) {
  console.error('usage: node index.mjs <file.torrent | magnet:?...> [HOST:PORT ...]');
  process.exit(2);
}

// A magnet link is passed as it is; a .torrent file is read and parsed first.
const torrentSource = source.startsWith('magnet:') ? source : parseTorrent(await readFile(source));

// `listen: false`: we only dial out, so no port has to be free or reachable.
const session = new Session({ listen: false });
await session.start();

// The storage is ours to choose: the engine calls this once the metainfo is known (at once
// for a .torrent, after the metadata exchange for a magnet link). No resume file: there is
// nothing on disk to resume.
let storage;
const torrent = session.add(torrentSource, {
  storage: (metainfo) => (storage = new MemoryStorage(metainfo)),
  resume: false,
  peers,
});

// Always listen for `error`: the torrent cannot go on (an unheard `error` event throws).
torrent.on('error', (error) => console.error(`error: ${error.message}`));
torrent.on('metadata', (metainfo) => console.error(`${metainfo.name}: ${metainfo.files.length} files, ${metainfo.length} bytes`));

// A progress line at most once a second, from the torrent's snapshot.
const timer = setInterval(() => {
  const p = torrent.progress();
  console.error(`${p.state} ${p.percent}% ${(p.downloadRate / 1048576).toFixed(1)} MiB/s, ${p.peers} peers`);
}, 1000);

try {
  await torrent.whenDone(); // every piece verified against the torrent's hashes
} finally {
  clearInterval(timer);
}

// Read each file back out of the storage, piece by piece, and hash it.
const { pieceLength, files } = torrent.metainfo;
for (const file of files) {
  if (file.padding) continue;
  const hash = createHash('sha256');
  for (let at = file.offset; at < file.offset + file.length; ) {
    const piece = Math.floor(at / pieceLength);
    const offset = at - piece * pieceLength;
    const length = Math.min(pieceLength - offset, file.offset + file.length - at);
    hash.update(await storage.read(piece, offset, length));
    at += length;
  }
  console.log(JSON.stringify({ path: file.path.join('/'), length: file.length, sha256: hash.digest('hex') }));
}

// Stops the torrent (trackers are told) and the session's workers.
await session.close();
