// @gtorr/client: the engine's pure parts (Bitfield, PiecePicker), then a real download.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bitfield, PiecePicker, Session } from '@gtorr/client';
import { createTorrentFromBuffers, parseTorrent } from '@gtorr/metainfo';
import { MemoryStorage } from '@gtorr/storage';

// A 1 MiB torrent in 256 KiB pieces; one peer has pieces 0 and 2, another is a seed.
const picker = new PiecePicker({ pieceLength: 256 * 1024, totalLength: 1024 * 1024 });
const have = new Bitfield(picker.pieceCount);
have.set(0);
have.set(2);
picker.peerBitfield('peer-a', have);
picker.peerHaveAll('peer-b');
const blocks = picker.pick('peer-a', 2);
const arrival = blocks[0] === undefined ? undefined : picker.blockReceived('peer-a', blocks[0]);

// A real download through the installed engine: one session seeds files from a folder, a
// second downloads them from it over loopback into memory, and every byte is compared.
const folder = await mkdtemp(join(tmpdir(), 'gtorr-pack-client-'));
const data = new Uint8Array(randomBytes(300_000));
const created = await createTorrentFromBuffers('payload.bin', data, { pieceLength: 32 * 1024 });
const metainfo = parseTorrent(created.torrent);
await writeFile(join(folder, 'payload.bin'), data);
const seeder = new Session({ port: 0, host: '127.0.0.1' });
const leecher = new Session({ listen: false });
let downloaded: { bytesEqual: boolean; pieces: number; verifiedEvents: number };
try {
  await seeder.start();
  const seed = seeder.add(metainfo, { directory: folder, resume: false });
  seed.on('error', (error) => console.error(error));
  await seed.whenDone({ signal: AbortSignal.timeout(20_000) });
  let memory: MemoryStorage | undefined;
  await leecher.start();
  const torrent = leecher.add(metainfo, { storage: (m) => (memory = new MemoryStorage(m)), resume: false, peers: [`127.0.0.1:${seeder.port}`] });
  torrent.on('error', (error) => console.error(error));
  let verifiedEvents = 0;
  torrent.on('piece:verified', () => verifiedEvents++);
  await torrent.whenDone({ signal: AbortSignal.timeout(20_000) });
  const got = new Uint8Array(metainfo.length);
  for (let piece = 0; piece < metainfo.pieceCount; piece++) {
    const length = Math.min(metainfo.pieceLength, metainfo.length - piece * metainfo.pieceLength);
    got.set(await memory!.read(piece, 0, length), piece * metainfo.pieceLength);
  }
  downloaded = { bytesEqual: Buffer.from(got).equals(Buffer.from(data)), pieces: metainfo.pieceCount, verifiedEvents };
} finally {
  await leecher.close();
  await seeder.close();
  await rm(folder, { recursive: true, force: true });
}

console.log(
  JSON.stringify({
    resolved: { '@gtorr/client': import.meta.resolve('@gtorr/client') },
    pieceCount: picker.pieceCount,
    wire: Array.from(have.toWire()),
    picked: blocks.map((b) => ({ piece: b.piece, begin: b.begin, length: b.length })),
    arrival: arrival?.status,
    downloaded,
  }),
);
