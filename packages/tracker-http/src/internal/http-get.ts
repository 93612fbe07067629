// One GET over node:http/https with everything a tracker request must bound: a deadline for
// the whole exchange (redirects included), a cap on the body that is enforced while it
// streams, a bounded redirect chain, and cancellation. Returns the body of any status; the
// caller decides what a status means.
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TrackerError, TrackerErrorCode as Code } from '../errors.js';

export interface HttpGetOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly agent?: Agent | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface HttpGetResult {
  readonly status: number;
  readonly body: Uint8Array;
  /** The URL that answered (the last of a redirect chain). */
  readonly url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function open(url: string, options: HttpGetOptions, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: options.headers,
      // No pooling by default: a tracker is asked once every many minutes, and an idle
      // keep-alive socket would only hold the process (and a test's server) open.
      agent: options.agent ?? false,
      signal,
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

async function readBody(response: IncomingMessage, url: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new TrackerError(Code.TOO_LARGE, `response declares ${declared} bytes, more than the limit of ${maxBytes}`, { url });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      // Stop reading at once: the rest is never received, let alone kept.
      response.destroy();
      throw new TrackerError(Code.TOO_LARGE, `response is larger than the limit of ${maxBytes} bytes`, { url });
    }
    chunks.push(chunk);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

function redirectTarget(response: IncomingMessage, from: string): string {
  const location = response.headers.location;
  let next: URL | undefined;
  try {
    next = location === undefined ? undefined : new URL(location, from);
  } catch {
    next = undefined;
  }
  if (next === undefined || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
    throw new TrackerError(Code.BAD_REDIRECT, `redirect to an unusable location ${JSON.stringify(location ?? null)}`, { url: from });
  }
  return next.href;
}

/** GETs `url`, following redirects. Throws `TrackerError` or, when the caller aborted, the abort reason. */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpGetResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
  const seen = new Set<string>([url]);
  let current = url;
  try {
    for (let redirects = 0; ; redirects++) {
      signal.throwIfAborted();
      const response = await open(current, options, signal);
      const status = response.statusCode ?? 0;
      if (!REDIRECTS.has(status)) return { status, body: await readBody(response, current, options.maxBytes), url: current };
      response.destroy();
      const next = redirectTarget(response, current);
      if (redirects >= options.maxRedirects || seen.has(next)) {
        throw new TrackerError(Code.TOO_MANY_REDIRECTS, seen.has(next) ? `redirect loop back to ${next}` : `more than ${options.maxRedirects} redirects`, { url: current });
      }
      seen.add(next);
      current = next;
    }
  } catch (error) {
    if (error instanceof TrackerError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline.aborted) throw new TrackerError(Code.TIMEOUT, `no complete answer within ${options.timeoutMs} ms`, { url: current, cause: error });
    const message = error instanceof Error ? error.message : String(error);
    throw new TrackerError(Code.NETWORK, `request failed: ${message}`, { url: current, cause: error });
  }
}
