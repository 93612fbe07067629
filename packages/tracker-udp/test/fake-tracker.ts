// A scriptable UDP tracker for tests: it decodes each request with our codec and lets the
// test decide the reply (or none). Closed by the test.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decodeRequest, type UdpRequest } from '../src/index.js';

export interface Received {
  readonly request: UdpRequest;
  readonly at: number;
  readonly from: RemoteInfo;
}

/** Sends `bytes` to the requester, from the tracker's socket or from `via`. */
export type Reply = (bytes: Uint8Array, via?: Socket) => void;

export interface FakeTracker {
  readonly url: string;
  readonly received: Received[];
  /** Another socket on another port, to play a spoofer. */
  readonly spoofer: Socket;
  /** What the tracker does with a request: call `reply` zero or more times. */
  handle: (request: UdpRequest, reply: Reply, index: number) => void;
  close(): Promise<void>;
}

export async function fakeTracker(host = '127.0.0.1'): Promise<FakeTracker> {
  const family = host.includes(':') ? 'udp6' : 'udp4';
  const socket = createSocket(family);
  const spoofer = createSocket(family);
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  await new Promise<void>((resolve) => spoofer.bind(0, host, resolve));
  const tracker: FakeTracker = {
    url: `udp://${family === 'udp6' ? `[${host}]` : host}:${socket.address().port}`,
    received: [],
    spoofer,
    handle: () => {},
    close: async () => {
      await Promise.all([socket, spoofer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  socket.on('message', (message, from) => {
    let request: UdpRequest;
    try {
      request = decodeRequest(message);
    } catch {
      return;
    }
    const index = tracker.received.push({ request, at: performance.now(), from }) - 1;
    tracker.handle(request, (bytes, via = socket) => via.send(bytes, from.port, from.address), index);
  });
  return tracker;
}
