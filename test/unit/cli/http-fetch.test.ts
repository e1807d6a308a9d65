import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from '../../../src/cli/http-fetch';
import { startApiStub, useApiStub } from '../../support/cli';

describe('httpFetch', () => {
  const { api } = useApiStub();

  const init = (overrides: Partial<Parameters<typeof httpFetch>[1]> = {}) => ({
    method: 'GET',
    headers: { authorization: 'Bearer t' },
    signal: AbortSignal.timeout(5_000),
    ...overrides,
  });

  it('sends the method, headers and a UTF-8 body with its length, and reads the whole answer', async () => {
    api.answer = { status: 201, body: '{"né":"✓"}', contentType: 'application/problem+json' };
    const body = '{"reason":"Mise à jour ✓"}';

    const answer = await httpFetch(
      new URL(`${api.url}/maintenance?x=1`),
      init({ method: 'POST', body, headers: { 'content-type': 'application/json' } }),
    );

    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/maintenance?x=1', body });
    expect(api.requests[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(api.requests[0]?.headers['content-type']).toBe('application/json');
    expect(answer).toMatchObject({ ok: true, status: 201, statusText: 'Created' });
    expect(answer.headers.get('Content-Type')).toBe('application/problem+json');
    expect(answer.headers.get('x-missing')).toBeNull();
    await expect(answer.text()).resolves.toBe('{"né":"✓"}');
  });

  it('answers a refusal as not ok, with its status', async () => {
    api.answer = { status: 403, body: 'no' };

    const answer = await httpFetch(new URL(api.url), init());

    expect(answer).toMatchObject({ ok: false, status: 403, statusText: 'Forbidden' });
  });

  it('rejects with the signal’s reason when it aborts before the answer', async () => {
    api.hang = true;
    const signal = AbortSignal.timeout(50);

    await expect(httpFetch(new URL(api.url), init({ signal }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(signal.aborted).toBe(true);
  });

  it('rejects at once for a signal that has already aborted, sending nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));

    await expect(httpFetch(new URL(api.url), init({ signal: controller.signal }))).rejects.toThrow('gone');
    expect(api.requests).toEqual([]);
  });

  it('rejects when the answer is cut off midway', async () => {
    let server: Server | undefined;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(httpFetch(new URL(`http://127.0.0.1:${port}/`), init())).rejects.toThrow();
    } finally {
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it('names a refused connection as Node does', async () => {
    const closed = await startApiStub();
    await closed.close();

    await expect(httpFetch(new URL(closed.url), init())).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a protocol other than http and https', async () => {
    await expect(httpFetch(new URL('ftp://127.0.0.1/'), init())).rejects.toThrow('unsupported protocol ftp:');
  });
});
