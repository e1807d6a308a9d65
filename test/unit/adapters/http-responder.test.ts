import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpSlackResponder } from '../../../src/adapters/slack/http-responder';
import { UpstreamError } from '../../../src/domain/errors';
import type { SlackMessage } from '../../../src/ports/slack-worker';

// A real HTTP server on 127.0.0.1 stands in for Slack; the responder uses the real fetch.

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

const MESSAGE: SlackMessage = {
  response_type: 'in_channel',
  text: 'Maintenance is on',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Maintenance is on* & <b>' } }],
};

describe('HttpSlackResponder against a local HTTP server', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const hanging: ServerResponse[] = [];

  // `/allowed/ok` answers 200, `/allowed/fail` 500, `/allowed/hang` never; anything else 200.
  function route(req: IncomingMessage, res: ServerResponse, body: string) {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      contentType: req.headers['content-type'],
      body,
    });
    if (req.url === '/allowed/hang') {
      hanging.push(res);
      return;
    }
    res.writeHead(req.url === '/allowed/fail' ? 500 : 200, { 'content-type': 'text/plain' });
    res.end(req.url === '/allowed/fail' ? 'internal_error' : 'ok');
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => route(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const responder = (timeoutMs?: number) => new HttpSlackResponder(fetch, `${base}/allowed/`, timeoutMs);

  it('posts the message as JSON with content-type application/json', async () => {
    await responder().post(`${base}/allowed/ok`, MESSAGE);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/allowed/ok', contentType: 'application/json' });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(MESSAGE);
  });

  it.each([
    ['on the same server but outside the allowed prefix', () => `${base}/elsewhere`],
    ['that is the allowed origin without its path', () => base],
    ['to Slack over plain http', () => 'http://hooks.slack.com/commands/T0001/1/x'],
    ['on a look-alike of hooks.slack.com', () => 'https://hooks.slack.com.example.net/commands/T0001/1/x'],
  ])('refuses a URL %s without making a request', async (_label, url) => {
    const counting = jest.fn(fetch);
    const refusing = new HttpSlackResponder(counting, `${base}/allowed/`);

    const failure = refusing.post(url(), MESSAGE);

    await expect(failure).rejects.toBeInstanceOf(UpstreamError);
    await expect(failure).rejects.toThrow('not a Slack response URL');
    expect(counting).not.toHaveBeenCalled();
    expect(seen).toEqual([]);
  });

  it('accepts https://hooks.slack.com/ response URLs without any allowed prefix', async () => {
    const fakeFetch = jest.fn(async () => new Response('ok', { status: 200 }));
    const slackOnly = new HttpSlackResponder(fakeFetch as unknown as typeof fetch);

    await slackOnly.post('https://hooks.slack.com/commands/T0001/1234/abcd', MESSAGE);

    expect(fakeFetch).toHaveBeenCalledWith(
      'https://hooks.slack.com/commands/T0001/1234/abcd',
      expect.objectContaining({ method: 'POST' }),
    );
    // And with no prefix configured, the local server is refused.
    await expect(slackOnly.post(`${base}/allowed/ok`, MESSAGE)).rejects.toBeInstanceOf(UpstreamError);
    expect(fakeFetch).toHaveBeenCalledTimes(1);
  });

  it('reports a non-2xx answer as UpstreamError with the status', async () => {
    const failure = responder().post(`${base}/allowed/fail`, MESSAGE);

    await expect(failure).rejects.toBeInstanceOf(UpstreamError);
    await expect(failure).rejects.toThrow('Slack answered 500');
    expect(seen).toHaveLength(1);
  });

  it('gives up on a server that never answers after timeoutMs, as UpstreamError', async () => {
    const started = Date.now();

    const failure = responder(200).post(`${base}/allowed/hang`, MESSAGE);

    await expect(failure).rejects.toBeInstanceOf(UpstreamError);
    await expect(failure).rejects.toThrow('Posting to Slack failed');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    expect(seen.map((s) => s.url)).toEqual(['/allowed/hang']);
  });
});

describe('HttpSlackResponder and URLs with credentials', () => {
  it.each([
    ['that hides another host behind the allowed prefix', 'http://127.0.0.1:80@evil.example/x'],
    ['whose tab a URL parser would drop, exposing credentials', 'http://127.0.0.1:\t@evil.example/x'],
  ])('refuses a URL %s', async (_label, url) => {
    let calls = 0;
    const responder = new HttpSlackResponder(
      (async () => {
        calls++;
        return new Response('ok');
      }) as typeof fetch,
      'http://127.0.0.1:',
    );
    await expect(responder.post(url, { response_type: 'ephemeral', text: 'x' })).rejects.toThrow(
      /not a Slack response URL/,
    );
    expect(calls).toBe(0);
  });

  it("accepts GovSlack's hooks.slack-gov.com", async () => {
    const fakeFetch = jest.fn(async () => new Response('ok', { status: 200 }));
    await new HttpSlackResponder(fakeFetch as unknown as typeof fetch).post(
      'https://hooks.slack-gov.com/commands/T0001/1234/abcd',
      { response_type: 'ephemeral', text: 'x' },
    );
    expect(fakeFetch).toHaveBeenCalledTimes(1);
  });
});
