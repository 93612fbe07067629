import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** BEP 3: 19, "BitTorrent protocol", 8 reserved bytes, 20-byte info hash, 20-byte peer id. */
const PROTOCOL = Buffer.from('\x13BitTorrent protocol', 'latin1');
const HANDSHAKE_LENGTH = 68;

export interface AnswersHandshakeOptions {
  /** Bound on the answer, and then on the polite close (default 3 s each: transmission answers on a 0.5 s pulse). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * One try: dials 127.0.0.1:`port`, sends a BEP 3 handshake for `infoHash` (40 hex digits;
 * no reserved bits set, a fresh peer id) and resolves true once the 68-byte answer names the
 * same info hash. False when nothing listens, the peer closes or answers for another torrent,
 * or nothing comes within `timeoutMs`. Never rejects. Use it in a bounded loop (`waitFor`):
 * a port that accepts TCP may not serve the torrent yet.
 *
 * After a true answer it half-closes and waits for the peer to close its side (about 0.5 s
 * with transmission) before it resolves. transmission 3.00 keeps one connection per address
 * (the port is ignored) and forgets a peer that went away only on its next pulse: a probe
 * that just drops its socket, or a bare TCP connect, makes it refuse the next peer from
 * 127.0.0.1 for up to a second, and gtorr waits 15 s before it redials a failed peer.
 * Once transmission has closed its side itself, the next connection is accepted at once
 * (measured on loopback, see the README).
 */
export function answersHandshake(port: number, infoHash: string, options: AnswersHandshakeOptions = {}): Promise<boolean> {
  if (!/^[0-9a-f]{40}$/i.test(infoHash)) throw new TypeError(`infoHash must be 40 hex digits, got ${JSON.stringify(infoHash)}`);
  const hash = Buffer.from(infoHash, 'hex');
  const peerId = Buffer.concat([Buffer.from('-GTPROBE', 'latin1'), Buffer.from(randomBytes(6).toString('hex'), 'latin1')]);
  const request = Buffer.concat([PROTOCOL, Buffer.alloc(8), hash, peerId]);
  const timeoutMs = options.timeoutMs ?? 3000;
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let answered = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(ok);
    };
    const onAbort = () => settle(answered);
    if (options.signal?.aborted) return settle(false);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => settle(false), timeoutMs);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      received = Buffer.concat([received, chunk]);
      if (received.length < HANDSHAKE_LENGTH) return;
      if (!received.subarray(0, PROTOCOL.length).equals(PROTOCOL) || !received.subarray(28, 48).equals(hash)) return settle(false);
      answered = true;
      clearTimeout(timer);
      // Bounded like the answer: a peer that never closes its side is dropped, as before.
      timer = setTimeout(() => settle(true), timeoutMs);
      socket.end();
    });
    socket.once('error', () => settle(answered));
    socket.once('close', () => settle(answered));
  });
}
