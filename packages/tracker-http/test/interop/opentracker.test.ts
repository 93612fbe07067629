import { interop, startOpentracker, type Opentracker } from '@gtorr/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTrackerClient, type AnnounceRequest } from '../../src/index.js';
import { id20 } from '../helpers.js';

const hashA = Buffer.from('0123456789abcdef0123456789abcdef01234567', 'hex');
const hashB = Buffer.from('89abcdef0123456789abcdef0123456789abcdef', 'hex');

describe.runIf(interop('opentracker'))('HttpTrackerClient against opentracker (HTTP, loopback, whitelist mode)', () => {
  let tracker: Opentracker;
  const client = new HttpTrackerClient({ timeoutMs: 5000 });

  beforeAll(async () => {
    tracker = await startOpentracker([hashA.toString('hex'), hashB.toString('hex')]);
  }, 20_000);
  afterAll(async () => {
    await tracker?.stop();
  });

  const peer = (name: string, port: number, left: number, infoHash: Uint8Array = hashA): AnnounceRequest => ({ infoHash, peerId: id20(name), port, uploaded: 0, downloaded: 0, left, event: 'started' });

  it('lets two announcing peers see each other', async () => {
    await client.announce(tracker.httpUrl, peer('http-a', 41001, 0));
    const b = await client.announce(tracker.httpUrl, peer('http-b', 41002, 500));
    expect(b.peers).toContainEqual({ host: '127.0.0.1', port: 41001 });
    expect(b.interval).toBeGreaterThan(0);
    const a = await client.announce(tracker.httpUrl, { ...peer('http-a', 41001, 0), event: undefined });
    expect(a.peers).toContainEqual({ host: '127.0.0.1', port: 41002 });
  });

  it('scrapes counts that match the announces, for several hashes at once', async () => {
    await client.announce(tracker.httpUrl, peer('http-c', 41003, 0, hashB));
    await client.announce(tracker.httpUrl, peer('http-c', 41003, 0, hashB));
    const { files } = await client.scrape(tracker.httpUrl, [hashA, hashB]);
    const counts = (h: Uint8Array) => {
      const f = files.find((x) => Buffer.from(x.infoHash).equals(h));
      return f && [f.complete, f.incomplete];
    };
    expect(counts(hashA)).toEqual([1, 1]);
    expect(counts(hashB)).toEqual([1, 0]);
  });

  it('passes on opentracker refusing a hash that is not whitelisted', async () => {
    const error = await client.announce(tracker.httpUrl, peer('http-d', 41004, 0, id20('not-listed'))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRACKER_FAILURE', failureReason: expect.stringMatching(/not authorized/) });
  });
});
