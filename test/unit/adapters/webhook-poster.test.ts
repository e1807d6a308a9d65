import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackWebhookPoster } from '../../../src/adapters/slack/webhook-poster';

// A real HTTP server on 127.0.0.1 stands in for Slack's webhook; the poster uses the real fetch. Each
// test scripts the answers of its path: a status, or `stall` (never answers).

type Answer = number | 'stall' | { status: number; retryAfter: string };

const MESSAGE = {
  text: 'Maintenance is ON',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*ON*' } }],
};

describe('SlackWebhookPoster against a local HTTP server', () => {
  let server: Server;
  let base: string;
  const scripts = new Map<string, Answer[]>();
  const seen: Array<{ url: string; contentType: string | undefined; body: string }> = [];
  const stalled: ServerResponse[] = [];

  function answer(req: IncomingMessage, res: ServerResponse, body: string) {
    seen.push({ url: req.url ?? '', contentType: req.headers['content-type'], body });
    const next = scripts.get(req.url ?? '')?.shift() ?? 200;
    if (next === 'stall') {
      stalled.push(res);
      return;
    }
    const { status, retryAfter } = typeof next === 'number' ? { status: next, retryAfter: undefined } : next;
    res.writeHead(status, {
      'content-type': 'text/plain',
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
    });
    res.end(status === 200 ? 'ok' : status === 400 ? 'invalid_blocks' : 'internal_error');
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of stalled) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
    scripts.clear();
  });

  /** A poster admitting the server's /services/ paths; its waits are recorded, not slept. */
  function poster(options: { timeoutMs?: number; attempts?: number } = {}) {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    return {
      waits,
      poster: new SlackWebhookPoster({ allowedPrefix: `${base}/services/`, clock: { sleep }, ...options }),
    };
  }

  const hook = (name: string, ...answers: Answer[]) => {
    scripts.set(`/services/${name}`, answers);
    return `${base}/services/${name}`;
  };

  it('posts the message once as JSON and reports success', async () => {
    const { poster: p, waits } = poster();

    const result = await p.post(hook('ok', 200), MESSAGE);

    expect(result).toEqual({ ok: true, attempts: 1 });
    expect(seen).toEqual([
      { url: '/services/ok', contentType: 'application/json', body: JSON.stringify(MESSAGE) },
    ]);
    expect(waits).toEqual([]);
  });

  it('tries again after a 500 and succeeds on the second request, after a short wait', async () => {
    const { poster: p, waits } = poster();

    const result = await p.post(hook('flaky', 500, 200), MESSAGE);

    expect(result).toEqual({ ok: true, attempts: 2 });
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it('stops after N requests when Slack keeps answering 500, saying what it answered', async () => {
    const { poster: p, waits } = poster({ attempts: 3 });

    const result = await p.post(hook('down', 500, 500, 500, 500), MESSAGE);

    expect(result).toEqual({ ok: false, attempts: 3, error: 'Slack answered 500: internal_error' });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('does not try again after a 400: the message would be refused again', async () => {
    const { poster: p } = poster();

    const result = await p.post(hook('bad', 400, 200), MESSAGE);

    expect(result).toEqual({ ok: false, attempts: 1, error: 'Slack answered 400: invalid_blocks' });
    expect(seen).toHaveLength(1);
  });

  it("tries again after a 429, waiting Slack's Retry-After within the cap", async () => {
    const { poster: p, waits } = poster();

    const result = await p.post(hook('busy', { status: 429, retryAfter: '1' }, 200), MESSAGE);

    expect(result).toEqual({ ok: true, attempts: 2 });
    expect(waits).toEqual([1000]);
  });

  it('gives up on a stalled server after N bounded attempts', async () => {
    const { poster: p } = poster({ timeoutMs: 200, attempts: 2 });
    const started = Date.now();

    const result = await p.post(hook('stall', 'stall', 'stall'), MESSAGE);

    expect(result).toEqual({ ok: false, attempts: 2, error: 'No answer within 200 ms' });
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a refused connection as a failure after N attempts, without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const p = new SlackWebhookPoster({
      allowedPrefix: 'http://127.0.0.1:',
      clock: { sleep: async () => {} },
    });

    const result = await p.post(`http://127.0.0.1:${port}/services/gone`, MESSAGE);

    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(3);
    expect(result.error).toMatch(/^The request failed: fetch failed: .*ECONNREFUSED/);
    expect(result.error).not.toContain('/services/');
  });

  it.each([
    ['on the same server outside the allowed prefix', () => `${base}/elsewhere`],
    ['on another host', () => 'https://example.com/services/T0/B0/x'],
    ['on a look-alike of hooks.slack.com', () => 'https://hooks.slack.com.example.net/services/T0/B0/x'],
    ['to Slack over plain http', () => 'http://hooks.slack.com/services/T0/B0/x'],
  ])('refuses a URL %s without any request, and without naming it', async (_label, url) => {
    const counting = jest.fn(fetch);
    const p = new SlackWebhookPoster({ allowedPrefix: `${base}/services/`, fetchImpl: counting });

    const result = await p.post(url(), MESSAGE);

    expect(result).toEqual({
      ok: false,
      attempts: 0,
      error: 'Refused: the webhook URL is not a Slack webhook URL',
    });
    expect(counting).not.toHaveBeenCalled();
    expect(seen).toHaveLength(0);
  });

  it('admits only Slack without an allowed prefix, an empty one included', async () => {
    const counting = jest.fn(fetch);
    const p = new SlackWebhookPoster({ allowedPrefix: '', fetchImpl: counting });

    const result = await p.post(hook('ok', 200), MESSAGE);

    expect(result.attempts).toBe(0);
    expect(counting).not.toHaveBeenCalled();
  });

  it('bounds the longest post by its attempts, timeouts and waits', () => {
    expect(new SlackWebhookPoster().maxDurationMs).toBe(3 * 3_000 + 2 * 2_000);
  });
});
