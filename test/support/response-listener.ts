import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the listener got, as it arrived. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface ResponseListener {
  /** A URL on the listener, standing in for a presigned S3 `ResponseURL`. */
  url(path?: string): string;
  /** Resolves with the next request to `path` (or the one already received). */
  next(path?: string): Promise<ReceivedRequest>;
  received(): ReceivedRequest[];
  stop(): Promise<void>;
}

/**
 * An HTTP listener on 127.0.0.1 that stands in for CloudFormation's presigned ResponseURL: it records every
 * request and answers `status` (S3 answers 200 to a valid PUT).
 *
 * @example
 * const listener = await startResponseListener();
 * await handler(createEvent({ ResponseURL: listener.url('/create') }), context);
 * const answer = JSON.parse((await listener.next('/create')).body);
 */
export async function startResponseListener(status = 200): Promise<ResponseListener> {
  const received: ReceivedRequest[] = [];
  const waiting: Array<{ path: string; resolve: (r: ReceivedRequest) => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(request);
      for (const w of waiting.filter((w) => w.path === request.path)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(request);
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    next: (path = '/') => {
      const found = received.find((r) => r.path === path);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ path, resolve }));
    },
    received: () => [...received],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
