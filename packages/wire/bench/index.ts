// Throughput of @gtorr/wire: messages/s through the encoder and the framing decoder, and
// MiB/s of piece payload between two PeerConnections over loopback beside a raw net socket
// pair carrying the same bytes, measured in the same run. Run: pnpm bench (in this folder).
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { compare, machine, median, table } from '@gtorr/bench';
import { encodeMessage, encodePieceHeader, MessageDecoder, type WireMessage } from '../src/index.js';
import { createPeerPair } from '../src/test.js';

const MESSAGES = 1_000_000;
const BLOCK = 16384;
const TRANSFER = Number(process.env.WIRE_BENCH_MIB ?? 512) * 2 ** 20;
const ROUNDS = 7;
const WRITE_HIGH_WATER_MARK = 256 * 1024; // PeerConnection's default writeHighWaterMark

/** `bytes` cut in socket-sized 64 KiB chunks, as a decoder would receive them. */
function chunks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 65536) out.push(bytes.subarray(at, at + 65536));
  return out;
}

// --- codec: 1M messages through the encoder and the decoder -------------------------------

const codecRows: string[][] = [];

// Decoding pieces: payload views, no copies when a message sits in one chunk.
{
  const pieceStream = Buffer.concat(Array.from({ length: 4096 }, (_, i) => encodeMessage({ type: 'piece', index: i, begin: 0, block: new Uint8Array(BLOCK) })));
  const pieceChunks = chunks(pieceStream);
  const [decoded] = compare(
    [
      {
        name: 'piece',
        run: () => {
          const decoder = new MessageDecoder();
          let bytes = 0;
          for (const chunk of pieceChunks) {
            decoder.push(chunk);
            for (let m = decoder.next(); m !== undefined; m = decoder.next()) if (m.type === 'piece') bytes += m.block.length;
          }
          return bytes;
        },
      },
    ],
    { rounds: ROUNDS, minMs: 200, bytes: pieceStream.length },
  );
  codecRows.push(['piece 16 KiB x 4096 (64 KiB chunks)', '-', `${(decoded!.bytesPerSecond! / 2 ** 20).toFixed(0)} MiB/s`]);
}

const kinds: [string, (i: number) => WireMessage][] = [
  ['have', (i) => ({ type: 'have', index: i })],
  ['request', (i) => ({ type: 'request', index: i >>> 4, begin: (i & 15) * BLOCK, length: BLOCK })],
];
for (const [name, make] of kinds) {
  const messages = Array.from({ length: MESSAGES }, (_, i) => make(i));
  const stream = chunks(Buffer.concat(messages.map(encodeMessage)));
  let sink: Uint8Array | undefined;
  const [encoded] = compare(
    [
      {
        name,
        run: () => {
          for (const message of messages) sink = encodeMessage(message);
          return sink;
        },
      },
    ],
    { rounds: ROUNDS, minMs: 200 },
  );
  const [decoded] = compare(
    [
      {
        name,
        run: () => {
          const decoder = new MessageDecoder();
          let n = 0;
          for (const chunk of stream) {
            decoder.push(chunk);
            for (let m = decoder.next(); m !== undefined; m = decoder.next()) n++;
          }
          if (n !== MESSAGES) throw new Error(`decoded ${n} messages`);
          return n;
        },
      },
    ],
    { rounds: ROUNDS, minMs: 200 },
  );
  codecRows.push([`${name} x 1M`, `${((encoded!.opsPerSecond * MESSAGES) / 1e6).toFixed(1)} M msg/s`, `${((decoded!.opsPerSecond * MESSAGES) / 1e6).toFixed(1)} M msg/s`]);
}

// --- loopback: PeerConnection pair vs a raw socket pair ------------------------------------

async function rawPair(): Promise<[Socket, Socket]> {
  const server = createServer({ noDelay: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port, noDelay: true });
  const [[socket]] = await Promise.all([accepted, once(client, 'connect')]);
  server.close();
  return [client, socket];
}

/**
 * The raw pair: the same piece messages (13-byte header + 16 KiB block), prebuilt, waiting
 * for drain past the same 256 KiB of queued bytes as a PeerConnection. `batched` corks the
 * socket for a tick, as PeerConnection does, so that a tick's messages leave in one writev;
 * otherwise each message is its own write.
 */
async function raw(total: number, batched: boolean): Promise<number> {
  const [sender, receiver] = await rawPair();
  const message = Buffer.concat([encodePieceHeader(0, 0, BLOCK), new Uint8Array(BLOCK)]);
  const count = total / BLOCK;
  const wire = count * message.length;
  const start = process.hrtime.bigint();
  const received = new Promise<void>((resolve) => {
    let bytes = 0;
    receiver.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes >= wire) resolve();
    });
  });
  let corked = false;
  const uncork = () => {
    corked = false;
    sender.uncork();
  };
  for (let i = 0; i < count; i++) {
    if (batched && !corked) {
      corked = true;
      sender.cork();
      process.nextTick(uncork);
    }
    sender.write(message);
    if (sender.writableLength >= WRITE_HIGH_WATER_MARK) await once(sender, 'drain');
  }
  await received;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  sender.destroy();
  receiver.destroy();
  return total / seconds;
}

/** Two PeerConnections: `piece()` on one side, `piece` events counted on the other. */
async function wire(total: number): Promise<number> {
  const { outgoing, incoming, close } = await createPeerPair({ outgoing: { keepAliveInterval: 0 }, incoming: { idleTimeout: 0 } });
  const block = new Uint8Array(BLOCK);
  const count = total / BLOCK;
  const start = process.hrtime.bigint();
  const received = new Promise<void>((resolve) => {
    let bytes = 0;
    incoming.on('piece', (message) => {
      bytes += message.block.length;
      if (bytes >= total) resolve();
    });
  });
  for (let i = 0; i < count; i++) if (!outgoing.piece(i, 0, block)) await once(outgoing, 'drain');
  await received;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  close();
  return total / seconds;
}

const rates = { raw: [] as number[], batched: [] as number[], wire: [] as number[] };
await raw(TRANSFER / 8, false);
await raw(TRANSFER / 8, true);
await wire(TRANSFER / 8);
// Interleaved, so that a busy moment on the machine hurts all three alike.
for (let round = 0; round < ROUNDS; round++) {
  rates.raw.push(await raw(TRANSFER, false));
  rates.batched.push(await raw(TRANSFER, true));
  rates.wire.push(await wire(TRANSFER));
}
const mib = (bytesPerSecond: number) => `${(bytesPerSecond / 2 ** 20).toFixed(0)} MiB/s`;
const row = (name: string, values: number[]) => [name, mib(median(values)), values.map(mib).join(', ')];

console.log(`@gtorr/wire on ${machine()}\n`);
console.log(table(['messages', 'encode', 'decode'], codecRows));
console.log(`\n${TRANSFER / 2 ** 20} MiB of piece payload in 16 KiB blocks over 127.0.0.1 (median of ${ROUNDS}):\n`);
console.log(
  table(
    ['pair', 'payload rate', 'rounds'],
    [row('raw socket pair, a write per message', rates.raw), row('raw socket pair, a writev per tick', rates.batched), row('PeerConnection pair', rates.wire)],
  ),
);
// Each round's three runs follow each other closely: their ratio is less swayed by whatever
// else the machine does than the ratio of medians taken over the whole run.
const paired = median(rates.wire.map((wire, i) => wire / Math.max(rates.raw[i]!, rates.batched[i]!)));
const best = Math.max(median(rates.raw), median(rates.batched));
console.log(`\nPeerConnection / best raw pair: ${((median(rates.wire) / best) * 100).toFixed(0)}% of the medians, ${(paired * 100).toFixed(0)}% round by round (target: >= 80%)`);
