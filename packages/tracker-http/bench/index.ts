// Throughput of the pure parts on fixed inputs: parsing announce and scrape answers of
// realistic size, building announce URLs, and the server's swarm store under announces.
// Run: pnpm bench (in this folder).
import { compare, machine, mibPerSecond, table } from '@gtorr/bench';
import { encode } from '@gtorr/bencode';
import { buildAnnounceUrl, parseAnnounceResponse, parseScrapeResponse, SwarmStore, type AnnounceRequest } from '../src/index.js';

const compact = new Uint8Array(200 * 6).map((_, i) => (i * 37 + 11) & 0xff);
const compact6 = new Uint8Array(50 * 18).map((_, i) => (i * 53 + 7) & 0xff);
const announce = encode({ complete: 120, incomplete: 80, interval: 1800, 'min interval': 900, peers: compact, peers6: compact6 });
const dictionaryPeers = encode({ interval: 1800, peers: Array.from({ length: 50 }, (_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}`, port: 6881 + i, 'peer id': new Uint8Array(20).fill(i) })) });
const scrape = encode({ files: new Map(Array.from({ length: 100 }, (_, i) => [new Uint8Array(20).fill(i), { complete: i, downloaded: 2 * i, incomplete: 3 * i }])) });
const request: AnnounceRequest = { infoHash: new Uint8Array(20).map((_, i) => i * 13), peerId: new TextEncoder().encode('-GT0001-abcdefghijkl'), port: 6881, uploaded: 123456, downloaded: 654321, left: 1 << 30, event: 'started', numwant: 50, key: 0xdeadbeef };

let seq = 0;
const store = new SwarmStore({ peerTtlMs: 3_600_000, maxSwarms: 10, maxPeersPerSwarm: 10_000, random: Math.random });
const hash = new Uint8Array(20).fill(9);
for (let i = 0; i < 1000; i++) store.announce({ infoHash: hash, peerId: new Uint8Array(20).fill(i & 255).map((b, j) => (j < 4 ? (i >> (8 * j)) & 255 : b)), host: `10.1.${i >> 8}.${i & 255}`, port: 6881, left: i % 3, uploaded: 0, downloaded: 0, event: undefined, numwant: 0 }, 0, new Set([4]));

const cases: [string, number | undefined, () => unknown][] = [
  ['parse announce: 200 compact peers + 50 peers6', announce.length, () => parseAnnounceResponse(announce)],
  ['parse announce: 50 dictionary peers', dictionaryPeers.length, () => parseAnnounceResponse(dictionaryPeers)],
  ['parse scrape: 100 swarms', scrape.length, () => parseScrapeResponse(scrape)],
  ['build announce URL', undefined, () => buildAnnounceUrl('http://tracker.example:6969/announce?passkey=abc', request)],
  ['swarm store: announce into 1,000 peers, 50 back', undefined, () => store.announce({ infoHash: hash, peerId: new Uint8Array(20).fill(seq++ & 255), host: '10.9.9.9', port: 6881, left: 5, uploaded: 0, downloaded: 0, event: undefined, numwant: 50 }, 0, new Set([4]))],
];

const rows = cases.map(([name, bytes, run]) => {
  const [m] = compare([{ name, run }], bytes === undefined ? {} : { bytes });
  return [name, `${Math.round(m!.opsPerSecond).toLocaleString('en')} /s`, mibPerSecond(m!.bytesPerSecond)];
});
console.log(`@gtorr/tracker-http on ${machine()}\n`);
console.log(table(['case', 'operations', 'throughput'], rows));
