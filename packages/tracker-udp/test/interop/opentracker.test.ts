import { interop, startOpentracker, type Opentracker } from '@gtorr/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UdpTrackerClient, type AnnounceRequest } from '../../src/index.js';

const hashA = Buffer.from('0123456789abcdef0123456789abcdef01234567', 'hex');
const hashB = Buffer.from('89abcdef0123456789abcdef0123456789abcdef', 'hex');
const peerId = (name: string) => Buffer.from(name.padEnd(20, '.'));

describe.runIf(interop('opentracker'))('UdpTrackerClient against opentracker (UDP, loopback, whitelist mode)', () => {
  let tracker: Opentracker;
  const client = new UdpTrackerClient({ retransmitBaseMs: 500, maxRetransmits: 3 });

  beforeAll(async () => {
    tracker = await startOpentracker([hashA.toString('hex'), hashB.toString('hex')]);
  }, 20_000);
  afterAll(async () => {
    await client.close();
    await tracker?.stop();
  });

  const peer = (name: string, port: number, left: number, infoHash: Uint8Array = hashA): AnnounceRequest => ({ infoHash, peerId: peerId(name), port, uploaded: 0, downloaded: 0, left, event: 'started' });

  it('lets two announcing peers see each other', async () => {
    await client.announce(tracker.udpUrl, peer('udp-a', 42001, 0));
    const b = await client.announce(tracker.udpUrl, peer('udp-b', 42002, 500));
    expect(b.peers).toContainEqual({ host: '127.0.0.1', port: 42001 });
    expect([b.complete, b.incomplete]).toEqual([1, 1]);
    const a = await client.announce(tracker.udpUrl, { ...peer('udp-a', 42001, 0), event: undefined });
    expect(a.peers).toContainEqual({ host: '127.0.0.1', port: 42002 });
  });

  it('scrapes counts that match the announces, for several hashes at once', async () => {
    await client.announce(tracker.udpUrl, peer('udp-c', 42003, 0, hashB));
    const { files } = await client.scrape(tracker.udpUrl, [hashA, hashB]);
    expect(files.map((f) => [f.complete, f.incomplete])).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it('completes a download count and removes a stopped peer', async () => {
    await client.announce(tracker.udpUrl, { ...peer('udp-b', 42002, 0), event: 'completed' });
    await client.announce(tracker.udpUrl, { ...peer('udp-c', 42003, 0, hashB), event: 'stopped' });
    const { files } = await client.scrape(tracker.udpUrl, [hashA, hashB]);
    expect(files.map((f) => [f.complete, f.incomplete, f.downloaded])).toEqual([
      [2, 0, 1],
      [0, 0, 0],
    ]);
  });
});
