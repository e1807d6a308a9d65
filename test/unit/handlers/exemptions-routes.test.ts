import { createHandler as createGet } from '../../../handlers/get-exemptions';
import { createHandler as createUpdate } from '../../../handlers/update-exemptions';
import { API } from '../../../src/api/routes';
import { MAX_EXEMPTIONS } from '../../../src/domain/values';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { exemptionDeps as makeDeps, TOKENS } from '../../support/exemptions';

const { admin: ADMIN_TOKEN, operator: OPERATOR_TOKEN } = TOKENS;

const PATH = API.updateExemptions.path;
const post = (token: string | undefined, body: unknown) => jsonPost(token, body, PATH);
const get = (token: string) =>
  httpEvent({ path: API.getExemptions.path, headers: { authorization: `Bearer ${token}` } });

/** Each write's exempt paths, as the group's state reads them back. */
const exemptPaths = (deps: ReturnType<typeof makeDeps>) => deps.ruleGroup.state.exemptions.map((e) => e.path);

describe('POST /maintenance/exemptions', () => {
  beforeEach(() => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('lets an admin add exact and prefix paths in one write, and records who did', async () => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['/health', '/api/webhooks/*'] }));

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ added: ['/health', '/api/webhooks/*'], removed: [], unchanged: [], count: 2 });
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(deps.ruleGroup.state.exemptions).toEqual([
      { path: '/health', match: 'EXACTLY', value: '/health' },
      { path: '/api/webhooks/*', match: 'STARTS_WITH', value: '/api/webhooks/' },
    ]);
    // The audit trail of who exempted which paths is the history now, not a log line.
    expect(deps.audit.entries).toMatchObject([
      {
        actor: 'admin-bot',
        action: 'exemptions.update',
        details: { added: ['/health', '/api/webhooks/*'], removed: [] },
      },
    ]);
  });

  it('removes a path and reports the one that was not exempt as unchanged', async () => {
    const deps = makeDeps();
    await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['/health', '/status'] }));

    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { remove: ['/status', '/never'] }));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ added: [], removed: ['/status'], unchanged: ['/never'], count: 1 });
    expect(exemptPaths(deps)).toEqual(['/health']);
  });

  it('refuses an operator with 403 and changes nothing', async () => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(OPERATOR_TOKEN, { add: ['/health'] }));

    expect(res.status).toBe(403);
    expect(res.body.type).toBe('urn:waf-maintenance:problem:forbidden');
    expect(deps.ruleGroup.writes).toEqual([]);
  });

  it.each([
    ['a missing token', undefined],
    ['an unknown token', `wmt_${'u'.repeat(43)}`],
  ])('refuses %s with 401 and changes nothing', async (_label, token) => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(token, { add: ['/health'] }));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(deps.ruleGroup.writes).toEqual([]);
  });

  it.each([
    ['the whole site', 'add[1]', { add: ['/health', '/'] }],
    ['the whole site as a prefix', 'add[0]', { add: ['/*'] }],
    ['a relative path', 'add[1]', { add: ['/health', 'health'] }],
    ['a query', 'add[0]', { add: ['/health?full'] }],
    ['a fragment', 'remove[0]', { remove: ['/a#b'] }],
    ['whitespace', 'add[0]', { add: ['/a b'] }],
    ['a .. segment', 'add[0]', { add: ['/a/../admin'] }],
    ['a path over 256 bytes', 'add[0]', { add: [`/${'a'.repeat(256)}`] }],
    ['a * before the end', 'add[0]', { add: ['/a*/b'] }],
    ['the page itself', 'add[0]', { add: ['/maintenance/*'] }],
    ['a non-string', 'add[0]', { add: [{ path: '/health' }] }],
    ['a path in both lists', 'remove[0]', { add: ['/health'], remove: ['/health'] }],
    ['a string instead of a list', 'add', { add: '/health' }],
    ['an unknown field', 'replace', { add: ['/health'], replace: true }],
    ['nothing to do', 'body', { add: [], remove: [] }],
    ['an empty body', 'body', {}],
    ['a thousand entries', 'remove', { remove: Array.from({ length: 1_000 }, (_, i) => `/p${i}`) }],
  ])('answers 400 for %s, naming %s, and writes nothing', async (_label, field, body) => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, body));

    expect(res).toMatchObject({
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: { status: 400, errors: expect.arrayContaining([expect.objectContaining({ field })]) },
    });
    expect(deps.ruleGroup.writes).toEqual([]);
  });

  it('names every bad path of a batch, by its position, in the words of the path rule', async () => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['/health', '/', 'api'] }));

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'add[1]', message: 'would exempt the whole site' },
      { field: 'add[2]', message: 'must start with /' },
    ]);
    expect(deps.ruleGroup.reads).toBe(0);
  });

  it(`refuses a change that would make ${MAX_EXEMPTIONS + 1} paths, and keeps the ones there`, async () => {
    const deps = makeDeps();
    const first = Array.from({ length: MAX_EXEMPTIONS }, (_, i) => `/p${i}`);
    expect((await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: first }))).status).toBe(200);

    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['/one-more'] }));

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: 'add[0]',
        message: `there would be ${MAX_EXEMPTIONS + 1} exempt paths; the limit is ${MAX_EXEMPTIONS}`,
      },
    ]);
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(exemptPaths(deps)).toEqual(first);
  });

  it('answers 413 for a body over 1 MiB and changes nothing', async () => {
    const deps = makeDeps();
    const body = JSON.stringify({ add: [`/${'a'.repeat(1024 * 1024)}`] });
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, body));

    expect(res.status).toBe(413);
    expect(deps.ruleGroup.writes).toEqual([]);
  });

  it('answers 415 for a body that is not JSON and changes nothing', async () => {
    const deps = makeDeps();
    const event = httpEvent({
      method: 'POST',
      path: PATH,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' },
      body: '/health',
    });
    const res = await invoke(createUpdate(deps), event);

    expect(res.status).toBe(415);
    expect(deps.ruleGroup.writes).toEqual([]);
  });

  it('answers 409 when the lock token keeps changing, with nothing applied', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = Number.POSITIVE_INFINITY;
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['/health'] }));

    expect(res.status).toBe(409);
    expect(exemptPaths(deps)).toEqual([]);
  });
});

describe('GET /maintenance/exemptions', () => {
  it('lets an operator list the paths, in the order they were added', async () => {
    const deps = makeDeps();
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['/health', '/api/webhooks/*'] }));
    jest.restoreAllMocks();

    const res = await invoke(createGet(deps), get(OPERATOR_TOKEN));

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ paths: ['/health', '/api/webhooks/*'], count: 2, limit: MAX_EXEMPTIONS });
  });

  it('answers an empty list for a group without exemptions', async () => {
    const res = await invoke(createGet(makeDeps()), get(ADMIN_TOKEN));

    expect(res.body).toEqual({ paths: [], count: 0, limit: MAX_EXEMPTIONS });
  });

  it('refuses a missing token with 401', async () => {
    const res = await invoke(createGet(makeDeps()), httpEvent({ path: API.getExemptions.path }));

    expect(res.status).toBe(401);
  });
});
