// A registry that has nothing: every request is recorded and answered 404. npm and pnpm
// are pointed at it, so an install that would need anything but our tarballs fails at once
// (instead of quietly taking a package from npmjs), and a publish dry run can be checked to
// have sent nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Every request so far: `GET /@gtorr%2fbencode`, ... */
  readonly requests: readonly { readonly method: string; readonly url: string }[];
  close(): Promise<void>;
}

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const requests: { method: string; url: string }[] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '' });
    request.resume();
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'Not found (the gtorr pack test registry holds nothing)' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
