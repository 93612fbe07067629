import { Announcer } from '../announce/announcer.js';
import type { Torrent } from './torrent.js';

/**
 * The announcer for `torrent` to the trackers in `tiers`: it reports the torrent's counters,
 * hands the peers it learns to the torrent, and tells each outcome as events.
 */
export function makeAnnouncer(torrent: Torrent, tiers: string[][]): Announcer {
  const t = torrent;
  const announcer = new Announcer({
    tiers,
    infoHash: t.wireInfoHash.subarray(0, 20),
    peerId: t.context.peerId,
    port: () => t.context.listenPort(),
    stats: () => ({ ...t.transferred, left: bytesLeft(t) }),
    http: () => t.context.httpTracker(),
    udp: () => t.context.udpTracker(),
    now: t.context.now,
    random: t.context.random,
    announceIp: t.context.announceIp,
    onPeers: (peers) => t.learnPeers(peers, 'tracker'),
    onOutcome: (outcome) => {
      t.emit('tracker:announce', outcome);
      if (outcome.error !== undefined) t.emit('warning', outcome.error);
    },
  });
  for (const url of announcer.unsupported) t.emit('warning', new Error(`tracker ${url}: this kind of tracker is not supported`));
  return announcer;
}

/** What trackers call `left`: wanted bytes not yet verified. */
function bytesLeft(t: Torrent): number {
  const p = t.picker?.progress();
  if (p === undefined) return t.metainfo?.length ?? 16 * 1024;
  return p.bytesWanted - p.bytesDone;
}
