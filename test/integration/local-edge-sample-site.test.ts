import { type RunningSite, startSampleSite } from '../../scripts/local/edge/sample-site';

describe('the sample site npm start puts behind the local edge', () => {
  let site: RunningSite;

  beforeAll(async () => {
    site = await startSampleSite();
  });

  afterAll(() => site?.close());

  const get = (path: string, method = 'GET') =>
    fetch(`${site.url}${path}`, { method, signal: AbortSignal.timeout(5_000) });

  it('listens on 127.0.0.1, on a port of its own', () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('says on its page that it is the sample site, and how to put another origin there', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain('<h1>The sample site</h1>');
    expect(page).toContain('ORIGIN_URL');
  });

  it('answers /health with 200', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it.each([502, 503, 504, 500, 201])('answers /sample/status/%i with that status', async (status) => {
    expect((await get(`/sample/status/${status}`)).status).toBe(status);
  });

  it('answers 404 for anything else, and HEAD without a body', async () => {
    expect((await get('/sample/status/099')).status).toBe(404);
    expect((await get('/elsewhere')).status).toBe(404);
    const head = await get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('stops listening once closed', async () => {
    const other = await startSampleSite();
    await other.close();
    await expect(fetch(`${other.url}/health`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });
});
