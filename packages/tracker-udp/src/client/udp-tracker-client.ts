import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';
import { encodeAnnounceRequest, encodeConnectRequest, encodeScrapeRequest, ipv4Number, MAX_SCRAPE_HASHES } from '../protocol/udp-request.js';
import { decodeResponse, peekTransactionId, type UdpResponse } from '../protocol/udp-response.js';
import type { AnnounceRequest, AnnounceResponse, ScrapeFile, ScrapeResponse } from '../types.js';

export interface UdpTrackerClientOptions {
  /** The first wait for a reply, in ms; each retransmission doubles it (BEP 15: 15,000). Tests shorten it. */
  readonly retransmitBaseMs?: number;
  /** Retransmissions before `TRACKER_TIMEOUT` (BEP 15: 8, about 2 hours in all). */
  readonly maxRetransmits?: number;
  /** How long a connection id is reused, in ms (BEP 15: one minute). */
  readonly connectionIdTtlMs?: number;
  /** An overall deadline for one announce or scrape, in ms, on top of the schedule. Default: none. */
  readonly timeoutMs?: number;
  /** Clock in ms, for connection id ages. Default `Date.now`. */
  readonly now?: () => number;
  /** Name resolution. Default `dns.promises.lookup`. */
  readonly lookup?: (hostname: string) => Promise<{ address: string; family: number }>;
}

/** Per-call options: cancellation. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
}

interface Target {
  readonly url: string;
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

interface Pending {
  readonly target: Target;
  readonly deliver: (reply: Uint8Array) => void;
}

interface Connection {
  readonly id: bigint;
  readonly at: number;
}

/** The retransmission count shared by every exchange of one announce or scrape. */
interface Attempts {
  n: number;
}

/**
 * Announces to and scrapes UDP trackers (BEP 15). One socket per address family, shared by
 * all requests; replies are matched by transaction id and source address, and anything else
 * is ignored. Connection ids are reused for their minute. Call `close()` when done.
 */
export class UdpTrackerClient {
  readonly #base: number;
  readonly #maxRetransmits: number;
  readonly #ttl: number;
  readonly #timeoutMs: number | undefined;
  readonly #now: () => number;
  readonly #lookup: (hostname: string) => Promise<{ address: string; family: number }>;
  // BEP 15: "a unique key that is randomized by the client", one for this client's life.
  readonly #key = randomInt(0x100000000);
  readonly #sockets = new Map<4 | 6, Socket>();
  readonly #pending = new Map<number, Pending>();
  readonly #connections = new Map<string, Connection>();
  readonly #closing = new AbortController();

  constructor(options: UdpTrackerClientOptions = {}) {
    this.#base = positive(options.retransmitBaseMs ?? 15_000, 'retransmitBaseMs');
    this.#maxRetransmits = options.maxRetransmits ?? 8;
    if (!Number.isInteger(this.#maxRetransmits) || this.#maxRetransmits < 0) throw new RangeError('maxRetransmits must be a non-negative integer');
    this.#ttl = positive(options.connectionIdTtlMs ?? 60_000, 'connectionIdTtlMs');
    this.#timeoutMs = options.timeoutMs === undefined ? undefined : positive(options.timeoutMs, 'timeoutMs');
    this.#now = options.now ?? Date.now;
    this.#lookup = options.lookup ?? ((hostname) => dnsLookup(hostname));
  }

  /** Announces `request` to `url` (`udp://host:port`). Rejects with `TrackerError` (or the abort reason). */
  async announce(url: string, request: AnnounceRequest, options: RequestOptions = {}): Promise<AnnounceResponse> {
    const fields = {
      infoHash: request.infoHash,
      peerId: request.peerId,
      downloaded: request.downloaded,
      left: request.left,
      uploaded: request.uploaded,
      event: request.event,
      ip: request.ip === undefined ? 0 : ipv4Number(request.ip),
      key: request.key ?? this.#key,
      numwant: request.numwant ?? -1,
      port: request.port,
    };
    // Check the fields before any I/O: caller mistakes are thrown, not sent.
    encodeAnnounceRequest({ ...fields, connectionId: 0n, transactionId: 0 });
    const reply = await this.#operation(url, options.signal, (id, tid) => encodeAnnounceRequest({ ...fields, connectionId: id, transactionId: tid }), 'announce');
    if (reply.action !== 'announce') throw new TrackerError(Code.BAD_RESPONSE, `expected an announce reply, got ${reply.action}`, { url });
    return { interval: reply.interval, complete: reply.complete, incomplete: reply.incomplete, peers: reply.peers };
  }

  /** Scrapes `infoHashes` (in packets of up to 74). Rejects with `TrackerError` (or the abort reason). */
  async scrape(url: string, infoHashes: readonly Uint8Array[], options: RequestOptions = {}): Promise<ScrapeResponse> {
    if (infoHashes.length === 0) throw new RangeError('scrape needs at least one info hash');
    encodeScrapeRequest(0n, 0, infoHashes.slice(0, MAX_SCRAPE_HASHES));
    const files: ScrapeFile[] = [];
    for (let start = 0; start < infoHashes.length; start += MAX_SCRAPE_HASHES) {
      const batch = infoHashes.slice(start, start + MAX_SCRAPE_HASHES);
      encodeScrapeRequest(0n, 0, batch);
      const reply = await this.#operation(url, options.signal, (id, tid) => encodeScrapeRequest(id, tid, batch), 'scrape');
      if (reply.action !== 'scrape' || reply.files.length < batch.length) throw new TrackerError(Code.BAD_RESPONSE, `expected ${batch.length} scrape entries`, { url });
      batch.forEach((infoHash, i) => files.push({ infoHash, ...reply.files[i]! }));
    }
    return { files };
  }

  /** Closes the sockets; requests under way reject with `TRACKER_CLOSED`. */
  async close(): Promise<void> {
    this.#closing.abort(new TrackerError(Code.CLOSED, 'UDP tracker client closed'));
    const sockets = [...this.#sockets.values()];
    this.#sockets.clear();
    this.#connections.clear();
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  async #operation(url: string, callerSignal: AbortSignal | undefined, build: (connectionId: bigint, transactionId: number) => Uint8Array, expect: 'announce' | 'scrape'): Promise<UdpResponse> {
    const deadline = this.#timeoutMs === undefined ? undefined : AbortSignal.timeout(this.#timeoutMs);
    const signal = AbortSignal.any([this.#closing.signal, ...(callerSignal ? [callerSignal] : []), ...(deadline ? [deadline] : [])]);
    try {
      signal.throwIfAborted();
      const target = await this.#resolve(url, signal);
      // One count for the whole operation: BEP 15 resets n after each reply, but a tracker
      // that answers connects and never announces would then be retried forever.
      const attempts: Attempts = { n: 0 };
      for (;;) {
        const connection = await this.#connection(target, attempts, signal);
        const stale = () => this.#now() - connection.at >= this.#ttl;
        const reply = await this.#exchange(target, (tid) => build(connection.id, tid), attempts, signal, stale);
        if (reply === undefined) {
          // The id aged out between retransmissions: get a new one and go on.
          this.#connections.delete(keyOf(target));
          continue;
        }
        if (reply.action === 'error') {
          // The usual reason is an expired or unknown connection id: do not reuse it.
          this.#connections.delete(keyOf(target));
          throw new TrackerError(Code.FAILURE, `tracker refused: ${reply.message}`, { url, failureReason: reply.message });
        }
        if (reply.action !== expect) throw new TrackerError(Code.BAD_RESPONSE, `expected an ${expect} reply, got ${reply.action}`, { url });
        return reply;
      }
    } catch (error) {
      if (error instanceof TrackerError) throw withUrl(error, url);
      if (this.#closing.signal.aborted) throw this.#closing.signal.reason;
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (deadline?.aborted) throw new TrackerError(Code.TIMEOUT, `no answer within ${this.#timeoutMs} ms`, { url });
      throw new TrackerError(Code.NETWORK, `request failed: ${(error as Error).message}`, { url, cause: error });
    }
  }

  async #connection(target: Target, attempts: Attempts, signal: AbortSignal): Promise<Connection> {
    const cached = this.#connections.get(keyOf(target));
    if (cached !== undefined && this.#now() - cached.at < this.#ttl) return cached;
    const reply = await this.#exchange(target, encodeConnectRequest, attempts, signal, () => false);
    if (reply === undefined || reply.action === 'error') throw new TrackerError(Code.FAILURE, `tracker refused to connect: ${reply?.action === 'error' ? reply.message : ''}`, { failureReason: reply?.action === 'error' ? reply.message : undefined });
    if (reply.action !== 'connect') throw new TrackerError(Code.BAD_RESPONSE, `expected a connect reply, got ${reply.action}`);
    const connection = { id: reply.connectionId, at: this.#now() };
    this.#connections.set(keyOf(target), connection);
    return connection;
  }

  /**
   * Sends a request and waits for its reply, retransmitting on the 15 * 2^n schedule. One
   * transaction id for all retransmissions, so a late reply to an earlier copy still counts.
   * Resolves `undefined` when `stale()` says the request may not be sent again.
   */
  async #exchange(target: Target, build: (transactionId: number) => Uint8Array, attempts: Attempts, signal: AbortSignal, stale: () => boolean): Promise<UdpResponse | undefined> {
    let transactionId: number;
    do transactionId = randomInt(0x100000000);
    while (this.#pending.has(transactionId));
    const packet = build(transactionId);
    let reply: Uint8Array | undefined;
    let wake: (() => void) | undefined;
    this.#pending.set(transactionId, {
      target,
      deliver: (bytes) => {
        reply = bytes;
        wake?.();
      },
    });
    try {
      for (;;) {
        if (stale()) return undefined;
        if (attempts.n > this.#maxRetransmits) throw new TrackerError(Code.TIMEOUT, `no reply after ${this.#maxRetransmits} retransmissions`);
        await this.#send(target, packet);
        const wait = this.#base * 2 ** attempts.n;
        await new Promise<void>((resolve, reject) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            wake = undefined;
          };
          const onAbort = () => {
            done();
            reject(signal.reason as Error);
          };
          const timer = setTimeout(() => {
            done();
            resolve();
          }, wait);
          wake = () => {
            done();
            resolve();
          };
          signal.addEventListener('abort', onAbort, { once: true });
          if (reply !== undefined) wake();
        });
        if (reply !== undefined) return decodeResponse(reply, target.family);
        attempts.n++;
      }
    } finally {
      this.#pending.delete(transactionId);
    }
  }

  #socket(family: 4 | 6): Socket {
    let socket = this.#sockets.get(family);
    if (socket === undefined) {
      const created = createSocket(family === 4 ? 'udp4' : 'udp6');
      created.on('message', (message, remote) => this.#receive(message, remote.address, remote.port));
      // Errors of a connectionless socket (ICMP unreachable and the like) carry nothing to
      // act on: the retransmission schedule already copes with lost packets.
      created.on('error', () => {});
      // An idle client must not keep the process alive; pending requests keep timers that do.
      created.unref();
      this.#sockets.set(family, created);
      socket = created;
    }
    return socket;
  }

  #send(target: Target, packet: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.#socket(target.family).send(packet, target.port, target.address, (error) => (error ? reject(error) : resolve())));
  }

  #receive(message: Uint8Array, address: string, port: number): void {
    const transactionId = peekTransactionId(message);
    if (transactionId === undefined) return;
    const pending = this.#pending.get(transactionId);
    // Replies to no request of ours, or from anyone but the tracker asked, are dropped.
    if (pending === undefined || pending.target.port !== port || pending.target.address !== address) return;
    pending.deliver(message);
  }

  async #resolve(url: string, signal: AbortSignal): Promise<Target> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new TrackerError(Code.BAD_URL, 'not a URL', { url, cause: error });
    }
    const port = Number(parsed.port);
    if (parsed.protocol !== 'udp:' || parsed.hostname === '' || !Number.isInteger(port) || port < 1) throw new TrackerError(Code.BAD_URL, 'expected udp://host:port', { url });
    const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
    const known = isIP(hostname);
    let address = hostname;
    let family = known;
    if (known === 0) {
      try {
        ({ address, family } = await this.#lookup(hostname));
      } catch (error) {
        throw new TrackerError(Code.NETWORK, `cannot resolve ${hostname}`, { url, cause: error });
      }
      signal.throwIfAborted();
    }
    return { url, address, port, family: family === 6 ? 6 : 4 };
  }
}

function keyOf(target: Target): string {
  return `${target.address}|${target.port}`;
}

function withUrl(error: TrackerError, url: string): TrackerError {
  return error.url !== undefined ? error : new TrackerError(error.code, error.message, { url, retryable: error.retryable, failureReason: error.failureReason, cause: error.cause });
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}
