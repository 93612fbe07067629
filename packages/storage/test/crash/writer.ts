// The child process of crash.test.ts: a client in miniature that never stops. It picks
// pieces at random, damages them on disk (after withdrawing any claim on them from the
// resume file), writes them back in blocks of random sizes, verifies them, and saves resume
// data now and then, until it is killed. Run: tsx writer.ts DIR RESUME_FILE SEED
import { assessResume, checkTorrent, FileStorage, ResumeSaver, ResumeStore, type Bitfield } from '../../src/index.js';
import { crashTorrent } from './torrent.js';

const [dir, resumePath, seedText] = process.argv.slice(2);
if (dir === undefined || resumePath === undefined || seedText === undefined) throw new Error('usage: writer.ts DIR RESUME_FILE SEED');
let seed = Number(seedText) >>> 0 || 1;
const random = (n: number) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};

const t = await crashTorrent();
const { metainfo } = t;
const storage = new FileStorage(metainfo, dir, { maxOpenFiles: 2 });
const store = new ResumeStore(resumePath);
// What a restart believes: the resume data as far as the files still match it, and a check of the rest.
const assessment = await assessResume(storage, await store.load());
const checked = await checkTorrent(storage, { known: assessment.verified, only: assessment.recheck, workers: 0 });
const verified: Bitfield = checked.verified;
const saver = new ResumeSaver({ store, storage, verified: () => verified, intervalMs: 15 });
saver.start();
process.stdout.write(`ready ${assessment.outcome} ${verified.count()}\n`);

for (;;) {
  const piece = random(metainfo.pieceCount);
  const good = t.pieceData(piece);
  if (verified.get(piece)) {
    // Never damage a piece the resume file may still claim: withdraw the claim first.
    verified.clear(piece);
    await saver.saveNow();
  }
  const garbage = new Uint8Array(good.length).fill(0xa5 ^ random(256));
  await writeInBlocks(piece, garbage, random(good.length) + 1);
  if (random(4) === 0) continue; // leave it damaged
  await writeInBlocks(piece, good, good.length);
  if (await storage.verify(piece)) {
    verified.set(piece);
    saver.markChanged();
  }
  if (random(3) === 0) await saver.saveNow();
}

/** Writes the first `upTo` bytes of `data` into `piece`, in blocks of random sizes, in random order. */
async function writeInBlocks(piece: number, data: Uint8Array, upTo: number): Promise<void> {
  const blocks: [number, number][] = [];
  for (let at = 0; at < upTo; ) {
    const size = Math.min(upTo - at, 1 + random(20_000));
    blocks.push([at, size]);
    at += size;
  }
  for (let i = blocks.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
  }
  for (const [at, size] of blocks) await storage.write(piece, at, data.subarray(at, at + size));
}
