// Throughput of the BEP 15 codec on fixed packets. Run: pnpm bench (in this folder).
import { compare, machine, mibPerSecond, table } from '@gtorr/bench';
import { decodeRequest, decodeResponse, encodeAnnounceRequest, encodeAnnounceResponse, type AnnounceFields } from '../src/index.js';

const peers4 = Array.from({ length: 74 }, (_, i) => ({ host: `10.0.${i >> 8}.${i & 255}`, port: 6881 + i }));
const peers6 = Array.from({ length: 74 }, (_, i) => ({ host: `2001:db8::${i.toString(16)}`, port: 6881 + i }));
const reply4 = encodeAnnounceResponse(1, { interval: 1800, incomplete: 10, complete: 5, peers: peers4 }, 4);
const reply6 = encodeAnnounceResponse(1, { interval: 1800, incomplete: 10, complete: 5, peers: peers6 }, 6);
const fields: AnnounceFields = { connectionId: 42n, transactionId: 7, infoHash: new Uint8Array(20).fill(1), peerId: new Uint8Array(20).fill(2), downloaded: 1, left: 2, uploaded: 3, event: 'started', ip: 0, key: 9, numwant: -1, port: 6881 };
const request = encodeAnnounceRequest(fields);

const cases: [string, number, () => unknown][] = [
  ['decode announce reply: 74 IPv4 peers', reply4.length, () => decodeResponse(reply4, 4)],
  ['decode announce reply: 74 IPv6 peers', reply6.length, () => decodeResponse(reply6, 6)],
  ['encode announce request', request.length, () => encodeAnnounceRequest(fields)],
  ['decode announce request', request.length, () => decodeRequest(request)],
];

const rows = cases.map(([name, bytes, run]) => {
  const [m] = compare([{ name, run }], { bytes });
  return [name, `${Math.round(m!.opsPerSecond).toLocaleString('en')} /s`, mibPerSecond(m!.bytesPerSecond)];
});
console.log(`@gtorr/tracker-udp on ${machine()}\n`);
console.log(table(['case', 'operations', 'throughput'], rows));
