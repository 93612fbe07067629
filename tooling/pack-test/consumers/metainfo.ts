// @gtorr/metainfo as its README shows: read torrents (v1, v2, hybrid) and a magnet link,
// and create a torrent of a file (hashed on a worker thread, which the package loads from
// its own dist/hash-worker.js).
// Usage: node metainfo.js <data-file> <file.torrent>...
import { readFileSync } from 'node:fs';
import { createTorrent, formatMagnet, MetainfoError, parseMagnet, parseTorrent, toHex } from '@gtorr/metainfo';

const [dataFile, ...torrentFiles] = process.argv.slice(2);
if (dataFile === undefined) throw new TypeError('usage: node metainfo.js <data-file> <file.torrent>...');

const torrents = torrentFiles.map((file) => {
  const torrent = parseTorrent(readFileSync(file));
  return {
    file,
    infoHash: torrent.infoHash.v1 ? toHex(torrent.infoHash.v1) : null,
    infoHashV2: torrent.infoHash.v2 ? toHex(torrent.infoHash.v2) : null,
    version: torrent.version,
    name: torrent.name,
    pieceLength: torrent.pieceLength,
    pieceCount: torrent.pieceCount,
    // Bytes of the files themselves (torrent.length also counts pad files and v2 gaps).
    fileBytes: torrent.files.filter((f) => !f.padding).reduce((sum, f) => sum + f.length, 0),
    fileCount: torrent.files.filter((f) => !f.padding).length,
    private: torrent.private,
  };
});

const link = 'magnet:?xt=urn:btih:c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd&dn=Sintel&tr=udp%3A%2F%2F127.0.0.1%3A6969';
const magnet = parseMagnet(link);
const again = parseMagnet(formatMagnet(magnet));

let refused: string | undefined;
try {
  parseTorrent(new TextEncoder().encode('d4:infod4:name1:xee'));
} catch (error) {
  if (!(error instanceof MetainfoError)) throw error;
  refused = error.code;
}

// 32 KiB pieces, v1, no trackers: the same info dictionary mktorrent writes for this file.
const created = await createTorrent(dataFile, { pieceLength: 32 * 1024, threads: 1, hashOnCallingThread: false });
const reread = parseTorrent(created.torrent);

console.log(
  JSON.stringify({
    resolved: { '@gtorr/metainfo': import.meta.resolve('@gtorr/metainfo') },
    torrents,
    magnet: {
      infoHash: magnet.infoHash.v1 ? toHex(magnet.infoHash.v1) : null,
      name: magnet.name,
      trackers: magnet.trackers,
      roundTrip: again.name === magnet.name && again.trackers.join() === magnet.trackers.join(),
    },
    refused,
    created: { infoHash: created.infoHash.v1 ? toHex(created.infoHash.v1) : null, rereadInfoHash: reread.infoHash.v1 ? toHex(reread.infoHash.v1) : null, pieceCount: created.pieceCount },
  }),
);
