// @gtorr/client: for now, the engine's pure parts its README shows (Bitfield, PiecePicker).
import { Bitfield, PiecePicker } from '@gtorr/client';

// A 1 MiB torrent in 256 KiB pieces; one peer has pieces 0 and 2, another is a seed.
const picker = new PiecePicker({ pieceLength: 256 * 1024, totalLength: 1024 * 1024 });
const have = new Bitfield(picker.pieceCount);
have.set(0);
have.set(2);
picker.peerBitfield('peer-a', have);
picker.peerHaveAll('peer-b');
const blocks = picker.pick('peer-a', 2);
const arrival = blocks[0] === undefined ? undefined : picker.blockReceived('peer-a', blocks[0]);

// ---------------------------------------------------------------------------------------
// TODO(lead): download from a local seeder here, once Session/Torrent are settled: start a
// seeder (a FileStorage holding a torrent's data, or `gtorr seed`) on 127.0.0.1, download
// the torrent with `@gtorr/client` into a temp folder, and add what it proves (bytes equal,
// every piece verified) to the JSON below; test/consumers.test.ts asserts on it.
// ---------------------------------------------------------------------------------------

console.log(
  JSON.stringify({
    resolved: { '@gtorr/client': import.meta.resolve('@gtorr/client') },
    pieceCount: picker.pieceCount,
    wire: Array.from(have.toWire()),
    picked: blocks.map((b) => ({ piece: b.piece, begin: b.begin, length: b.length })),
    arrival: arrival?.status,
  }),
);
