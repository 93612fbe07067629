// Decode and encode throughput on real torrents and a large synthetic one, beside the
// `bencode` npm package, measured in the same run. Run: pnpm bench (in this folder).
import { createHash } from 'node:crypto';
import { readFixture } from '@gtorr/fixtures';
import { compare, machine, mibPerSecond, table } from '@gtorr/bench';
import rival from 'bencode';
import { decode, encode, type Encodable } from '../src/index.js';

/** A multi-file torrent like big real ones: 5,000 files in nested folders, 20,000 pieces. */
function largeTorrent(): Uint8Array {
  const files = Array.from({ length: 5000 }, (_, i) => ({
    length: 100_000 + ((i * 7919) % 900_000),
    path: [`disc-${i % 7}`, `folder-${i % 97}`, `track ${String(i).padStart(5, '0')} - some longer title here.flac`],
  }));
  const pieces = new Uint8Array(20_000 * 20);
  for (let i = 0; i < 20_000; i++) pieces.set(createHash('sha1').update(String(i)).digest(), i * 20);
  return encode({
    announce: 'http://tracker.example/announce',
    'announce-list': [['http://tracker.example/announce'], ['udp://tracker.example:6969/announce']],
    comment: 'synthetic large torrent for benchmarks',
    'created by': 'gtorr bench',
    'creation date': 1_700_000_000,
    info: { files, name: 'A Large Collection', 'piece length': 262_144, pieces },
  });
}

const inputs: [string, Uint8Array][] = [
  ['sintel.torrent (26 KiB, real)', readFixture('torrents/webtorrent/sintel.torrent')],
  ['bunny.torrent (17 KiB, real)', readFixture('torrents/webtorrent/bunny.torrent')],
  ['leaves.torrent (0.6 KiB, real)', readFixture('torrents/webtorrent/leaves.torrent')],
  ['large (5,000 files, 20,000 pieces)', largeTorrent()],
];

const rows: string[][] = [];
const ratios: number[] = [];
for (const [name, bytes] of inputs) {
  const buffer = Buffer.from(bytes);
  const decoded = [
    ...compare(
      [
        { name: '@gtorr/bencode', run: () => decode(bytes, { allowUnsortedKeys: true }) },
        { name: 'bencode', run: () => rival.decode(buffer) },
      ],
      { bytes: bytes.length },
    ),
  ];
  const ours = decode(bytes, { allowUnsortedKeys: true }) as Encodable;
  const theirs: unknown = rival.decode(buffer);
  const encoded = compare(
    [
      { name: '@gtorr/bencode', run: () => encode(ours) },
      { name: 'bencode', run: () => rival.encode(theirs) },
    ],
    { bytes: bytes.length },
  );
  for (const [op, [a, b]] of [
    ['decode', decoded],
    ['encode', encoded],
  ] as const) {
    const ratio = a!.opsPerSecond / b!.opsPerSecond;
    ratios.push(ratio);
    rows.push([name, op, mibPerSecond(a!.bytesPerSecond), mibPerSecond(b!.bytesPerSecond), `${ratio.toFixed(2)}x`]);
  }
}

console.log(`@gtorr/bencode vs bencode@4 on ${machine()}\n`);
console.log(table(['input', 'op', '@gtorr/bencode', 'bencode (npm)', 'ratio'], rows));
console.log(`\nslowest ratio: ${Math.min(...ratios).toFixed(2)}x (target: >= 2x)`);

