// Small local servers for the tests: each listens on loopback and is closed by the test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  close(): Promise<void>;
}

export async function localServer(handler: (request: IncomingMessage, response: ServerResponse) => void, host = '127.0.0.1'): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const bytes = (s: string) => new TextEncoder().encode(s);

/** A 20-byte id from a short label (padded), readable in failures. */
export function id20(label: string): Uint8Array {
  const out = new Uint8Array(20).fill(0x2e);
  out.set(bytes(label).subarray(0, 20));
  return out;
}

/** Resolves with the error a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; retryable?: boolean; status?: number; url?: string; failureReason?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
