import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The origin `npm start` puts behind the local edge when ORIGIN_URL is unset: a stand-in for the site,
 * enough to see the switch work. `/` says what it is; `/health` answers 200, as a health check would;
 * `/sample/status/<code>` answers that status (502, 503, 504 show the distribution's error page).
 */

export interface RunningSite {
  url: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sample site</title></head>
<body>
<h1>The sample site</h1>
<p>This is the sample site that <code>npm start</code> runs as the origin behind the local edge.
You see it because maintenance is off, or because your address is in the bypass set.</p>
<p>Set <code>ORIGIN_URL</code> to put your own app here instead.</p>
</body>
</html>
`;

function answer(path: string): { status: number; type: string; body: string } {
  if (path === '/' || path === '/index.html')
    return { status: 200, type: 'text/html; charset=utf-8', body: PAGE };
  if (path === '/health') return { status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' };
  const status = /^\/sample\/status\/([1-5]\d\d)$/.exec(path)?.[1];
  if (status && Number(status) >= 200) {
    return {
      status: Number(status),
      type: 'text/plain; charset=utf-8',
      body: `The sample site answers ${status}.\n`,
    };
  }
  return { status: 404, type: 'text/plain; charset=utf-8', body: 'The sample site has no such page.\n' };
}

/**
 * Starts the sample site on 127.0.0.1, on a port the kernel picks unless `port` is given.
 *
 * @example
 * const site = await startSampleSite(); // site.url: 'http://127.0.0.1:41234'
 * await site.close();
 */
export async function startSampleSite(port = 0): Promise<RunningSite> {
  const server: Server = createServer((req, res) => {
    const { status, type, body } = answer(new URL(req.url ?? '/', 'http://sample').pathname);
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
