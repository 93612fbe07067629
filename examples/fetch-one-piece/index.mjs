// The BitTorrent protocol by hand, one step at a time: read a torrent, ask its tracker for
// peers, connect to one, say what we want, download one piece block by block, and check it
// against the torrent's hash. Only the lower packages: no engine.
//
//   node index.mjs <file.torrent> [PIECE] [HOST:PORT]
//
// Without HOST:PORT, peers come from the torrent's first HTTP tracker.
import { readFile } from 'node:fs/promises';
import { parseTorrent } from '@gtorr/metainfo';
import { verifyPieceData } from '@gtorr/storage';
import { HttpTrackerClient } from '@gtorr/tracker-http';
import { generatePeerId, PeerConnection } from '@gtorr/wire';

const BLOCK = 16 * 1024; // what every client asks for at a time (BEP 3 practice)
const [torrentPath, pieceArg = '0', peerArg] = process.argv.slice(2);
if (torrentPath === undefined) {
  console.error('usage: node index.mjs <file.torrent> [PIECE] [HOST:PORT]');
  process.exit(2);
}

// 1. The torrent: its info hash names the swarm, its piece hashes check what we get.
const metainfo = parseTorrent(await readFile(torrentPath));
const piece = Number(pieceArg);
if (!Number.isInteger(piece) || piece < 0 || piece >= metainfo.pieceCount) throw new RangeError(`piece must be 0..${metainfo.pieceCount - 1}`);
const pieceLength = piece === metainfo.pieceCount - 1 ? metainfo.length - piece * metainfo.pieceLength : metainfo.pieceLength;
const peerId = generatePeerId();
console.error(`${metainfo.name}: piece ${piece} of ${metainfo.pieceCount}, ${pieceLength} bytes`);

// 2. Peers: given by hand, or from an announce to the tracker (we do not listen, so the
//    port we give is only a formality; `left` tells the tracker we are a leecher).
let peers;
if (peerArg !== undefined) {
  const colon = peerArg.lastIndexOf(':');
  peers = [{ host: peerArg.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(peerArg.slice(colon + 1)) }];
} else {
  const url = metainfo.announce.flat().find((u) => u.startsWith('http'));
  if (url === undefined) throw new Error('the torrent names no HTTP tracker: give HOST:PORT');
  const response = await new HttpTrackerClient({ timeoutMs: 10_000 }).announce(url, {
    infoHash: metainfo.infoHash.v1, peerId, port: 6881, uploaded: 0, downloaded: 0, left: metainfo.length, event: 'started',
  });
  peers = response.peers;
  console.error(`tracker ${url}: ${peers.length} peers`);
}

// 3. Each peer in turn until one gives us the piece.
for (const { host, port } of peers) {
  try {
    const data = await fetchPiece(host, port);
    // 4. The proof: the piece's SHA-1 (and SHA-256 for v2) must match the torrent's.
    const ok = verifyPieceData(metainfo, piece, data);
    console.log(JSON.stringify({ peer: `${host}:${port}`, piece, length: data.length, verified: ok }));
    process.exit(ok ? 0 : 1);
  } catch (error) {
    console.error(`${host}:${port}: ${error.message}`);
  }
}
console.error('no peer gave us the piece');
process.exit(1);

async function fetchPiece(host, port) {
  // The handshake names the torrent; `pieceCount` lets the connection check the peer's bitfield.
  const peer = PeerConnection.connect({ host, port, infoHash: metainfo.infoHash.v1, peerId, pieceCount: metainfo.pieceCount, signal: AbortSignal.timeout(20_000) });
  const remote = await peer.ready;
  console.error(`connected to ${host}:${port} (${Buffer.from(remote.peerId.subarray(0, 8)).toString('latin1')}...)`);
  const data = new Uint8Array(pieceLength);
  try {
    await new Promise((resolve, reject) => {
      let has = false;
      let received = 0;
      const requestAll = () => {
        for (let begin = 0; begin < pieceLength; begin += BLOCK) peer.request(piece, begin, Math.min(BLOCK, pieceLength - begin));
      };
      // What the peer has: a BITFIELD (bit i = piece i, high bit first) or BEP 6 HAVE ALL.
      peer.on('bitfield', ({ bitfield }) => { has = (bitfield[piece >> 3] & (0x80 >> (piece & 7))) !== 0; });
      peer.on('have-all', () => { has = true; });
      peer.on('have', ({ index }) => { if (index === piece) has = true; });
      // We may only ask once the peer unchokes us; it unchokes peers that are interested.
      peer.on('unchoke', () => (has ? requestAll() : reject(new Error('the peer does not have that piece'))));
      peer.on('piece', ({ index, begin, block }) => {
        if (index !== piece) return;
        data.set(block, begin);
        received += block.length;
        if (received >= pieceLength) resolve();
      });
      peer.on('close', (error) => reject(error ?? new Error('connection closed')));
      peer.interested();
    });
  } finally {
    peer.destroy();
  }
  return data;
}
