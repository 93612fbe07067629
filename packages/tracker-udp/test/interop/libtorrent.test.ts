import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, interop, startProcess, SYSTEM_PYTHON, waitFor, type ManagedProcess } from '@gtorr/interop';
import { afterAll, describe, expect, it } from 'vitest';
import { createUdpTrackerServer } from '../../src/index.js';
import { memorySwarms } from '../memory-swarms.js';

// One libtorrent session seeding a small torrent whose only tracker is ours (UDP). It prints
// the info hash, then each tracker reply or error, and stays until stopped.
const script = `
import json, os, sys, time
import libtorrent as lt
url, workdir, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
ses = lt.session({'listen_interfaces': '127.0.0.1:%d' % port, 'enable_dht': False, 'enable_lsd': False,
  'enable_upnp': False, 'enable_natpmp': False, 'enable_incoming_utp': False, 'enable_outgoing_utp': False,
  'alert_mask': lt.alert.category_t.all_categories})
with open(os.path.join(workdir, 'a.bin'), 'wb') as f: f.write(os.urandom(65536))
fs = lt.file_storage(); lt.add_files(fs, os.path.join(workdir, 'a.bin'))
ct = lt.create_torrent(fs, 16384, flags=lt.create_torrent.v1_only); ct.add_tracker(url)
lt.set_piece_hashes(ct, workdir)
info = lt.torrent_info(lt.bencode(ct.generate()))
print(json.dumps({'infoHash': str(info.info_hashes().v1)}), flush=True)
ses.add_torrent({'ti': info, 'save_path': workdir, 'flags': lt.torrent_flags.seed_mode})
end = time.time() + 40
while time.time() < end:
    for a in ses.pop_alerts():
        if isinstance(a, (lt.tracker_reply_alert, lt.tracker_error_alert)):
            print(json.dumps({'alert': type(a).__name__, 'message': a.message()}), flush=True)
    ses.wait_for_alert(200)
`;

describe.runIf(interop('libtorrent'))('libtorrent announcing to our UDP tracker server', () => {
  const swarms = memorySwarms();
  const server = createUdpTrackerServer({ swarms, interval: 60 });
  const dir = mkdtempSync(join(tmpdir(), 'gtorr-lt-udp-'));
  let python: ManagedProcess | undefined;

  afterAll(async () => {
    await python?.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects, announces and shows up in the swarm', async () => {
    const { announceUrl } = await server.start({ host: '127.0.0.1', port: 0 });
    const port = await freePort();
    python = startProcess(SYSTEM_PYTHON, ['-c', script, announceUrl, dir, String(port)]);
    const lines = () =>
      python!
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, string>);
    const infoHash = await waitFor('libtorrent to make its torrent', () => lines().find((l) => l.infoHash)?.infoHash, 20_000);
    await waitFor('a tracker reply in libtorrent', () => {
      const error = lines().find((l) => l.alert === 'tracker_error_alert');
      if (error) throw new Error(`libtorrent: ${error.message}`);
      return lines().some((l) => l.alert === 'tracker_reply_alert');
    }, 20_000);
    expect(swarms.counts(Buffer.from(infoHash, 'hex'), 0)).toEqual({ complete: 1, incomplete: 0, downloaded: 0 });
    expect(swarms.calls.at(-1)?.host).toBe('127.0.0.1');
  }, 60_000);
});
