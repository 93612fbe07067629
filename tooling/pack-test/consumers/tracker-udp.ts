// @gtorr/tracker-udp alone, as its README shows: the UDP tracker server the package exports,
// over a tiny in-memory swarm, on 127.0.0.1, and a client announcing and scraping.
import { createUdpTrackerServer, UdpTrackerClient, type AnnounceRequest, type UdpSwarmBackend } from '@gtorr/tracker-udp';

interface StoredPeer {
  host: string;
  port: number;
  family: 4 | 6;
  left: number;
}
const stored = new Map<number, StoredPeer>();
const swarms: UdpSwarmBackend = {
  announce(input, _now, families) {
    stored.set(input.port, { host: input.host, port: input.port, family: 4, left: input.left });
    const others = [...stored.values()].filter((p) => p.port !== input.port && families.has(p.family));
    const complete = [...stored.values()].filter((p) => p.left === 0).length;
    return { complete, incomplete: stored.size - complete, peers: others };
  },
  counts: () => {
    const complete = [...stored.values()].filter((p) => p.left === 0).length;
    return { complete, incomplete: stored.size - complete, downloaded: 0 };
  },
};

const server = createUdpTrackerServer({ swarms, interval: 60 });
const { announceUrl } = await server.start({ port: 0, host: '127.0.0.1' });
const client = new UdpTrackerClient({ retransmitBaseMs: 1000, timeoutMs: 10_000 });
try {
  const infoHash = new Uint8Array(20).fill(1);
  const request = (port: number, left: number): AnnounceRequest => ({
    infoHash,
    peerId: new Uint8Array(20).fill(port & 0xff),
    port,
    uploaded: 0,
    downloaded: 0,
    left,
    event: 'started',
  });
  await client.announce(announceUrl, request(6881, 0));
  const response = await client.announce(announceUrl, request(6882, 1000), { signal: AbortSignal.timeout(10_000) });
  const { files } = await client.scrape(announceUrl, [infoHash]);

  console.log(
    JSON.stringify({
      resolved: { '@gtorr/tracker-udp': import.meta.resolve('@gtorr/tracker-udp') },
      announceUrl,
      interval: response.interval,
      complete: response.complete,
      incomplete: response.incomplete,
      peers: response.peers,
      scrape: files.map((f) => ({ complete: f.complete, incomplete: f.incomplete })),
    }),
  );
} finally {
  await client.close();
  await server.stop();
}
