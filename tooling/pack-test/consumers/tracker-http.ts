// @gtorr/tracker-http as its README shows: the tracker server the package exports, on
// 127.0.0.1, and two clients announcing to it and scraping it.
import { createTrackerServer, HttpTrackerClient, type AnnounceRequest } from '@gtorr/tracker-http';

const server = createTrackerServer({ interval: 60 });
const { announceUrl } = await server.start({ port: 0, host: '127.0.0.1' });
try {
  const client = new HttpTrackerClient({ timeoutMs: 5000 });
  const infoHash = new Uint8Array(20).fill(1);
  const peer = (name: string, port: number, left: number): AnnounceRequest => ({
    infoHash,
    peerId: new TextEncoder().encode(name.padEnd(20, '-')),
    port,
    uploaded: 0,
    downloaded: 0,
    left,
  });

  await client.announce(announceUrl, { ...peer('seed', 6881, 0), event: 'started' });
  const response = await client.announce(announceUrl, { ...peer('leech', 6882, 1000), event: 'started' }, { signal: AbortSignal.timeout(10_000) });
  const { files } = await client.scrape(announceUrl, [infoHash]);

  console.log(
    JSON.stringify({
      resolved: { '@gtorr/tracker-http': import.meta.resolve('@gtorr/tracker-http') },
      announceUrl,
      interval: response.interval,
      peers: response.peers,
      scrape: files.map((f) => ({ complete: f.complete, incomplete: f.incomplete })),
    }),
  );
} finally {
  await server.stop();
}
