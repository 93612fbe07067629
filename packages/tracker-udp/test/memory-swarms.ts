import type { UdpSwarmBackend } from '../src/index.js';

/** A minimal swarm store for these tests (the real one lives in @gtorr/tracker-http). */
export function memorySwarms(): UdpSwarmBackend & { calls: { numwant: number; host: string }[] } {
  const swarms = new Map<string, Map<string, { host: string; port: number; left: number; family: 4 | 6 }>>();
  const calls: { numwant: number; host: string }[] = [];
  const key = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    calls,
    announce(input, _now, families) {
      calls.push({ numwant: input.numwant, host: input.host });
      const swarm = swarms.get(key(input.infoHash)) ?? new Map();
      swarms.set(key(input.infoHash), swarm);
      const me = key(input.peerId);
      if (input.event === 'stopped') swarm.delete(me);
      else swarm.set(me, { host: input.host, port: input.port, left: input.left, family: input.host.includes(':') ? 6 : 4 });
      const all = [...swarm.values()];
      const complete = all.filter((p) => p.left === 0).length;
      const peers = [...swarm.entries()].filter(([k, p]) => k !== me && families.has(p.family)).map(([, p]) => p);
      return { complete, incomplete: all.length - complete, peers: peers.slice(0, input.numwant) };
    },
    counts(infoHash) {
      const all = [...(swarms.get(key(infoHash))?.values() ?? [])];
      const complete = all.filter((p) => p.left === 0).length;
      return { complete, incomplete: all.length - complete, downloaded: 0 };
    },
  };
}

