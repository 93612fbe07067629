import { parseArgs } from 'node:util';
import { createTrackerServer } from '@gtorr/tracker-http';
import { createUdpTrackerServer } from '@gtorr/tracker-udp';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';

const help = `Usage: gtorr tracker [--port N] [--host H] [--interval SECONDS] [--no-udp]

Runs a small BitTorrent tracker until Ctrl-C: HTTP (announce and scrape) and UDP
(BEP 15) on the same port number, sharing one set of swarms kept in memory. It
serves any info hash and prints the announce URLs to put in a torrent.

Options:
  --port N            port to listen on, TCP and UDP (default 6969; 0 picks a free one)
  --host H            address to listen on (default 127.0.0.1: this machine only;
                      0.0.0.0 or :: to serve others)
  --interval SECONDS  how often clients should announce (default 1800)
  --no-udp            serve HTTP only
  -h, --help          show this help

Examples:
  gtorr tracker
  gtorr tracker --port 8000 --host 0.0.0.0
  gtorr create ./photos -t http://127.0.0.1:6969/announce -t udp://127.0.0.1:6969
`;

function integer(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

function listenError(error: unknown, what: string, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : code === 'EADDRNOTAVAIL' ? 'no such address here' : (error as Error).message;
  return new Error(`cannot listen (${what}) on ${host} port ${port}: ${why}`, { cause: error });
}

type HttpTracker = ReturnType<typeof createTrackerServer>;
type UdpTracker = ReturnType<typeof createUdpTrackerServer>;

/** Starts both on one port number. With port 0 a TCP port may be taken for UDP: try another. */
async function listen(http: HttpTracker, udp: UdpTracker | undefined, host: string, port: number): Promise<{ port: number; http: string; udp?: string }> {
  for (let attempt = 1; ; attempt++) {
    let address;
    try {
      address = await http.start({ port, host });
    } catch (error) {
      throw listenError(error, 'HTTP', host, port);
    }
    if (!udp) return { port: address.port, http: address.announceUrl };
    try {
      return { port: address.port, http: address.announceUrl, udp: (await udp.start({ port: address.port, host })).announceUrl };
    } catch (error) {
      await http.stop();
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (port !== 0 || !inUse || attempt === 5) throw listenError(error, 'UDP', host, address.port);
    }
  }
}

export const tracker: Command = {
  name: 'tracker',
  summary: 'run a small HTTP and UDP tracker until Ctrl-C',
  help,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, interval: { type: 'string' }, udp: { type: 'boolean', default: true } },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`tracker takes no arguments, got '${positionals[0]}' (see gtorr tracker --help)`);
    const port = integer(values.port, 'port', 0, 65535, 6969);
    const interval = integer(values.interval, 'interval', 1, 86_400, 1800);
    const host = values.host ?? '127.0.0.1';
    if (io.signal.aborted) return ExitCode.OK;
    const http = createTrackerServer({ interval });
    // The UDP tracker answers from the HTTP tracker's swarms: one swarm, two doors.
    const udp = values.udp ? createUdpTrackerServer({ swarms: http.swarms, interval }) : undefined;
    try {
      const address = await listen(http, udp, host, port);
      const urls = [address.http, ...(address.udp ? [address.udp] : [])];
      io.stdout.write(`gtorr tracker: listening on ${host} port ${address.port}\n${urls.map((u) => `announce URL: ${u}\n`).join('')}Press Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        else io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await Promise.all([http.stop(), udp?.stop()]);
    }
    io.stdout.write('gtorr tracker: stopped\n');
    return ExitCode.OK;
  },
};
