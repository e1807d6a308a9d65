import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonListener {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every JSON body posted to it, in order. */
  received: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A stand-in for what Slack receives (a response_url, an incoming webhook): an HTTP server on 127.0.0.1
 * that answers `ok` to every request and keeps each JSON body.
 *
 * @example
 * const webhook = await startJsonListener();
 * // ... SLACK_WEBHOOK_URL: `${webhook.url}/services/T/B/X`
 * await webhook.close();
 */
export async function startJsonListener(): Promise<JsonListener> {
  const received: Array<Record<string, unknown>> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
