// @gtorr/wire as its README shows: a seed and a peer, two PeerConnections over a real TCP
// socket on 127.0.0.1, handshake, have-all, interested, unchoke, request, piece; then the
// same kind of pair from the package's ./test subpath.
import { createServer, type AddressInfo } from 'node:net';
import { PeerConnection, type PeerConnectionEvents } from '@gtorr/wire';
import { createPeerPair } from '@gtorr/wire/test';

const infoHash = new Uint8Array(20).fill(1);
const data = new Uint8Array(16384).fill(7);

const server = createServer((socket) => {
  const seed = PeerConnection.accept(socket, { infoHashes: [infoHash] });
  seed.on('handshake', () => seed.send({ type: 'have-all' }));
  seed.on('interested', () => seed.unchoke());
  seed.on('request', ({ index, begin, length }) => seed.piece(index, begin, data.subarray(0, length)));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const peer = PeerConnection.connect({ host: '127.0.0.1', port, infoHash });
const block = new Promise<PeerConnectionEvents['piece'][0]>((resolve, reject) => {
  peer.on('piece', resolve);
  peer.on('close', (error) => reject(error ?? new Error('closed before the piece came')));
});
peer.on('have-all', () => peer.interested());
peer.on('unchoke', () => peer.request(0, 0, 16384));
const remote = await peer.ready;
const piece = await block;
peer.destroy();
await new Promise<void>((resolve) => server.close(() => resolve()));

// The ./test subpath: two handshaken connections, joined on loopback.
const pair = await createPeerPair({ infoHash });
const unchoked = new Promise<void>((resolve) => pair.outgoing.on('unchoke', () => resolve()));
pair.incoming.on('interested', () => pair.incoming.unchoke());
pair.outgoing.interested();
await unchoked;
pair.close();

console.log(
  JSON.stringify({
    resolved: { '@gtorr/wire': import.meta.resolve('@gtorr/wire'), '@gtorr/wire/test': import.meta.resolve('@gtorr/wire/test') },
    remotePeerIdPrefix: new TextDecoder().decode(remote.peerId.subarray(0, 8)),
    fast: peer.features.fast,
    piece: { index: piece.index, begin: piece.begin, length: piece.block.length, intact: piece.block.every((b) => b === 7) },
    pairUnchoked: true,
  }),
);
