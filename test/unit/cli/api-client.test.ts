import { API } from '../../../src/api/routes';
import { ApiClient, type HttpAnswer, type HttpFetch, queryString } from '../../../src/cli/api-client';
import { statusBody } from '../../support/cli';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A client whose fetch records each request and answers `status` with `body` (JSON unless a string). */
function clientAnswering(body: unknown, status = 200) {
  const sent: Sent[] = [];
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const fetch: HttpFetch = async (url, init) => {
    sent.push({ url: url.href, method: init.method, headers: init.headers, body: init.body });
    const answer: HttpAnswer = {
      ok: status >= 200 && status < 300,
      status,
      statusText: status === 403 ? 'Forbidden' : 'OK',
      headers: { get: (name) => (name === 'content-type' ? 'application/json' : null) },
      text: async () => text,
    };
    return answer;
  };
  return { api: new ApiClient({ baseUrl: 'https://api.example.com/prod', token: 'wmt_t', fetch }), sent };
}

const listing = { addresses: [{ cidr: '192.0.2.0/24', version: 4 }], count: 1, limit: 10_000 };
const change = { added: ['192.0.2.0/24'], removed: [], unchanged: [], count: 1, warnings: [] };
const exemptions = { paths: ['/health', '/api/webhooks/*'], count: 2, limit: 20 };
const exemptionsChange = { added: ['/health'], removed: [], unchanged: [], count: 1 };

describe('ApiClient', () => {
  it.each([
    ['getStatus', API.getMaintenance, statusBody(), undefined],
    ['diagnose', API.getMaintenance, { ...statusBody(), effective: true, problems: [] }, undefined],
    ['setMaintenance', API.setMaintenance, { ...statusBody(), changed: true }, { enabled: true }],
    ['listBypass', API.getBypass, listing, undefined],
    ['changeBypass', API.updateBypass, change, { add: ['192.0.2.0/24'] }],
    ['listExemptions', API.getExemptions, exemptions, undefined],
    ['changeExemptions', API.updateExemptions, exemptionsChange, { remove: ['/health'] }],
    ['listHistory', API.getHistory, { entries: [], nextCursor: null }, undefined],
  ] as const)('%s calls its route as the description has it', async (method, route, answer, request) => {
    const { api, sent } = clientAnswering(answer);
    const call = api[method] as (body?: unknown) => Promise<{ body: unknown }>;

    const { body } = await call.call(api, request);

    expect(body).toEqual(answer);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: `https://api.example.com/prod${route.path}`,
      method: route.method,
      body: request === undefined ? undefined : JSON.stringify(request),
    });
  });

  it('sends the history query after the base path, percent-encoded, leaving out what was not asked', async () => {
    const { api, sent } = clientAnswering({ entries: [], nextCursor: null });

    await api.listHistory({ limit: 5, cursor: 'a+b/c' });
    await api.listHistory({ cursor: 'x' });
    await api.listHistory();

    expect(sent.map((s) => s.url)).toEqual([
      'https://api.example.com/prod/maintenance/history?limit=5&cursor=a%2Bb%2Fc',
      'https://api.example.com/prod/maintenance/history?cursor=x',
      'https://api.example.com/prod/maintenance/history',
    ]);
    expect(sent.map((s) => [s.method, s.body])).toEqual(Array(3).fill(['GET', undefined]));
  });

  it.each([
    [{}, ''],
    [{ limit: undefined }, ''],
    [{ a: '1', 'b c': 'd&e=f' }, '?a=1&b%20c=d%26e%3Df'],
    [{ cursor: '' }, '?cursor='],
  ])('queryString(%j) is %j', (query, text) => {
    expect(queryString(query)).toBe(text);
  });

  it('asks for a fresh look at the edge only for the doctor', async () => {
    const { api, sent } = clientAnswering(statusBody());
    await api.getStatus();
    await api.diagnose();
    expect(sent.map((s) => s.headers['cache-control'])).toEqual([undefined, 'no-cache']);
  });

  it('reads an answer with fields it does not know, and keeps the text as received', async () => {
    const answer = { ...statusBody(), endsAt: null, windowId: 'w1' };
    const { api } = clientAnswering(answer);
    const { body, raw } = await api.getStatus();
    expect(body).toEqual(statusBody());
    expect(raw).toBe(JSON.stringify(answer));
  });

  it('reads a bypass change without warnings, as an older API answers it', async () => {
    const { warnings: _, ...older } = change;
    const { api } = clientAnswering(older);
    expect((await api.changeBypass({ add: ['192.0.2.0/24'] })).body).toEqual(older);
  });

  it('refuses a 200 that is not what the route answers', async () => {
    const { api } = clientAnswering({ ...statusBody(), enabled: 'yes' });
    await expect(api.getStatus()).rejects.toThrow(
      /^Unexpected answer to GET https:\/\/api\.example\.com\/prod\/maintenance: /,
    );
  });

  it("names the route's least role and what it does when the API answers 403", async () => {
    const { api } = clientAnswering({ title: 'Forbidden', status: 403, detail: 'Not allowed.' }, 403);
    await expect(api.changeBypass({ remove: ['192.0.2.0/24'] })).rejects.toThrow(
      'Forbidden (HTTP 403): Not allowed. The role of MAINTENANCE_TOKEN is too low: only an admin token may change the bypass set.',
    );
  });

  it('quotes, beside each field of a 400 that names a position, the entry this request sent there', async () => {
    const [whole, beyond, limit] = [
      { field: 'add[2]', message: 'would exempt the whole site' },
      { field: 'add[7]', message: 'out of range' },
      { field: 'add', message: 'there would be 21 exempt paths; the limit is 20' },
    ];
    const detail = 'The request is invalid.';
    const { api } = clientAnswering(
      { title: 'Invalid', status: 400, detail, errors: [whole, beyond, limit] },
      400,
    );

    await expect(api.changeExemptions({ add: ['/health', '/api/webhooks/*', '/'] })).rejects.toMatchObject({
      message: `Invalid (HTTP 400): ${detail}`,
      errors: [{ ...whole, field: 'add[2] "/"' }, beyond, limit],
    });
  });
});
