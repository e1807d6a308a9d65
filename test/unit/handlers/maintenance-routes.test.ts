import { createHandler as createGet } from '../../../handlers/get-maintenance';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import { MisconfiguredError, ThrottledError, UpstreamError } from '../../../src/domain/errors';
import { httpEvent, invoke, jsonPost, lambdaContext } from '../../support/events';
import {
  ACL_ARN,
  ADMIN_TOKEN,
  aWebAcl,
  FakeEdge,
  GROUP_ARN,
  InMemoryBypassSets,
  InMemoryTokenRegistry,
  OPERATOR_TOKEN,
  switchDeps,
  V4,
  V6,
} from '../../support/fakes';

function makeDeps() {
  const tokens = new InMemoryTokenRegistry([
    [OPERATOR_TOKEN, 'deploy-bot', 'operator'],
    [ADMIN_TOKEN, 'alice', 'admin'],
  ]);
  return switchDeps({ tokens });
}

const problemType = (slug: string) => `urn:waf-maintenance:problem:${slug}`;

describe('POST /maintenance', () => {
  it('turns maintenance on and answers the status with changed: true', async () => {
    const deps = makeDeps();
    const res = await invoke(
      createSet(deps),
      jsonPost(OPERATOR_TOKEN, { enabled: true, reason: 'Database upgrade', retryAfterSeconds: 1800 }),
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({
      enabled: true,
      action: 'BLOCK',
      reason: 'Database upgrade',
      retryAfterSeconds: 1800,
      changedAt: '2026-11-23T10:00:00.000Z',
      changedBy: 'deploy-bot',
      bypassLink: expect.stringMatching(/^\/__maintenance\/bypass\/[A-Za-z0-9_-]{43}$/),
      siteUrl: null,
      endsAt: null,
      changed: true,
    });
  });

  it('says whether the address API Gateway saw is in the bypass set, and reports the site', async () => {
    const bypass = new InMemoryBypassSets();
    const deps = { ...makeDeps(), bypass, siteUrl: 'https://www.example.com' };
    const outside = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    expect(outside.body).toMatchObject({
      caller: { ip: '198.51.100.7', bypassed: false },
      siteUrl: 'https://www.example.com',
    });
    bypass.sets[4].addresses = ['198.51.100.0/24'];
    const inside = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    expect(inside.body.caller).toEqual({ ip: '198.51.100.7', bypassed: true });
  });

  it('checks the caller again after a throttled bypass-set read, as it retries the group', async () => {
    const bypass = new InMemoryBypassSets();
    const deps = { ...makeDeps(), bypass };
    const read = bypass.get.bind(bypass);
    let throttles = 1;
    bypass.get = (version) => (throttles-- > 0 ? Promise.reject(new ThrottledError()) : read(version));
    const on = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    expect(on.status).toBe(200);
    expect(on.body.caller).toEqual({ ip: '198.51.100.7', bypassed: false });
  });

  it('turns maintenance off without reading the bypass sets, so off never depends on them', async () => {
    const bypass = new InMemoryBypassSets();
    const deps = { ...makeDeps(), bypass };
    await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    bypass.get = () => Promise.reject(new UpstreamError('GetIPSet failed'));
    const off = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: false }));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, changed: true });
    expect(off.body.caller).toBeUndefined();
  });

  it('accepts a base64-encoded body, as a deployed API may send it', async () => {
    const deps = makeDeps();
    const event = jsonPost(OPERATOR_TOKEN, {});
    event.body = Buffer.from(JSON.stringify({ enabled: true })).toString('base64');
    event.isBase64Encoded = true;
    const res = await invoke(createSet(deps), event);
    expect(res.status).toBe(200);
    expect(res.body.enabled).toBe(true);
  });

  it('accepts Content-Type with parameters and any header casing', async () => {
    const deps = makeDeps();
    const event = jsonPost(OPERATOR_TOKEN, { enabled: true });
    event.headers = {
      'Content-Type': 'application/json; charset=utf-8',
      Authorization: `Bearer ${OPERATOR_TOKEN}`,
    };
    expect((await invoke(createSet(deps), event)).status).toBe(200);
  });

  describe.each([
    ['no token', undefined, 401, 'unauthenticated'],
    ['an unknown token', `wmt_${'z'.repeat(43)}`, 401, 'unauthenticated'],
    ['a malformed token', 'hunter2', 401, 'unauthenticated'],
  ])('with %s', (_label, token, status, slug) => {
    it(`answers ${status} with WWW-Authenticate and changes nothing`, async () => {
      const deps = makeDeps();
      const res = await invoke(createSet(deps), jsonPost(token, { enabled: true }));
      expect(res.status).toBe(status);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body).toMatchObject({
        type: problemType(slug),
        status,
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(deps.ruleGroup.writes).toHaveLength(0);
    });
  });

  it('checks the token before the body, so an anonymous garbage body is 401, not 400', async () => {
    const res = await invoke(createSet(makeDeps()), jsonPost(undefined, '{nope'));
    expect(res.status).toBe(401);
  });

  it.each([
    ['malformed JSON', '{"enabled": tru', 'body'],
    ['a wrong type', { enabled: 'yes' }, 'enabled'],
    ['a missing field', { reason: 'x' }, 'enabled'],
    ['an unknown field', { enabled: true, force: true }, 'force'],
    ['an empty reason', { enabled: true, reason: '' }, 'reason'],
    ['a reason over 500 characters', { enabled: true, reason: 'x'.repeat(501) }, 'reason'],
    ['a reason with half a surrogate pair', '{"enabled": true, "reason": "bad \\ud800 half"}', 'reason'],
    ['a fractional Retry-After', { enabled: true, retryAfterSeconds: 2.5 }, 'retryAfterSeconds'],
    ['a zero Retry-After', { enabled: true, retryAfterSeconds: 0 }, 'retryAfterSeconds'],
    ['a Retry-After over a day', { enabled: true, retryAfterSeconds: 86_401 }, 'retryAfterSeconds'],
    ['a string Retry-After', { enabled: true, retryAfterSeconds: '60' }, 'retryAfterSeconds'],
    ['a JSON array', [true], 'body'],
    ['JSON null', 'null', 'body'],
  ])('answers 400 for %s, listing the field, and changes nothing', async (_label, body, field) => {
    const deps = makeDeps();
    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, body));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.type).toBe(problemType('validation'));
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(deps.ruleGroup.writes).toHaveLength(0);
    expect(deps.changes.records.size).toBe(0);
  });

  it('answers 413 for a body over 1 MiB and changes nothing', async () => {
    const deps = makeDeps();
    const body = JSON.stringify({ enabled: true, reason: 'x'.repeat(1024 * 1024) });
    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, body));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no Content-Type at all', {}],
  ])('answers 415 for %s and changes nothing', async (_label, headers) => {
    const deps = makeDeps();
    const event = httpEvent({
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...headers },
      body: '{"enabled":true}',
    });
    const res = await invoke(createSet(deps), event);
    expect(res.status).toBe(415);
    expect(res.body.status).toBe(415);
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('answers 409 when the lock token keeps changing, with nothing applied', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = Number.POSITIVE_INFINITY;
    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    expect(res.status).toBe(409);
    expect(res.body.type).toBe(problemType('conflict'));
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('answers 502 when AWS fails', async () => {
    const deps = makeDeps();
    deps.ruleGroup.get = async () => {
      throw new UpstreamError('AWS failed: InternalErrorException');
    };
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    spy.mockRestore();
    expect(res.status).toBe(502);
    expect(res.body.type).toBe(problemType('upstream'));
  });

  it('answers 502 a second before Lambda would cut it off, saying nothing changed when no write was sent', async () => {
    const deps = makeDeps();
    deps.ruleGroup.get = () => new Promise(() => undefined); // AWS never answers
    const handler = createSet(deps);
    const context = { ...lambdaContext, getRemainingTimeInMillis: () => 1_050 };
    const result = (await handler(jsonPost(OPERATOR_TOKEN, { enabled: true }), context)) as {
      statusCode: number;
      body: string;
    };
    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body)).toMatchObject({
      title: 'AWS did not answer in time',
      detail: 'AWS did not answer in time. Nothing was changed.',
    });
  });

  it('answers an unexposed 500 for a bug', async () => {
    const deps = makeDeps();
    deps.ruleGroup.get = async () => {
      throw new TypeError('secret internals');
    };
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await invoke(createSet(deps), jsonPost(OPERATOR_TOKEN, { enabled: true }));
    spy.mockRestore();
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret internals');
  });
});

describe('GET /maintenance', () => {
  const expected = {
    groupArn: GROUP_ARN,
    webAclArns: [ACL_ARN],
    ipSets: { v4: V4, v6: V6 },
    distributionId: 'E2FAKE',
  };
  const get = (
    deps: ReturnType<typeof makeDeps>,
    edge = new FakeEdge(),
    options: Partial<typeof expected> = {},
  ) =>
    invoke(
      createGet({ ...deps, edge, expected: { ...expected, ...options } }),
      httpEvent({ headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }),
    );

  it('answers the status read from the rule group, effective when the edge is set up', async () => {
    const deps = makeDeps();
    await invoke(createSet(deps), jsonPost(ADMIN_TOKEN, { enabled: true, retryAfterSeconds: 120 }));
    const res = await get(deps);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      enabled: true,
      action: 'BLOCK',
      reason: null,
      retryAfterSeconds: 120,
      changedAt: '2026-11-23T10:00:00.000Z',
      changedBy: 'alice',
      bypassLink: expect.stringMatching(/^\/__maintenance\/bypass\/[A-Za-z0-9_-]{43}$/),
      siteUrl: null,
      endsAt: null,
      effective: true,
      problems: [],
    });
  });

  it('reports a web ACL that lost its reference to the group', async () => {
    const edge = new FakeEdge();
    const acl = edge.acls.get(ACL_ARN);
    if (acl) acl.Rules = acl.Rules?.slice(1);
    const res = await get(makeDeps(), edge);
    expect(res.body.effective).toBe(false);
    expect(res.body.problems).toEqual([
      expect.stringMatching(/site does not reference the maintenance rule group/),
    ]);
  });

  it("reports a rule evaluated before the reference, and an override of the group's actions", async () => {
    const edge = new FakeEdge();
    const acl = edge.acls.get(ACL_ARN);
    const [reference, own] = acl?.Rules ?? [];
    if (acl && reference && own)
      acl.Rules = [
        { ...own, Priority: 0 },
        { ...reference, Priority: 5, OverrideAction: { Count: {} } },
      ];
    const res = await get(makeDeps(), edge);
    expect(res.body.problems).toEqual([
      expect.stringMatching(/"rate-limit" \(priority 0\) before the maintenance rule group/),
      expect.stringMatching(/overrides the maintenance rule group's actions \(OverrideAction Count\)/),
    ]);
  });

  it('reports a web ACL that no distribution carries, and a distribution that carries another', async () => {
    const edge = new FakeEdge(
      'arn:aws:wafv2:us-east-1:123456789012:global/webacl/other/55555555-5555-5555-5555-555555555555',
    );
    edge.associations.set(ACL_ARN, []);
    const res = await get(makeDeps(), edge);
    expect(res.body.effective).toBe(false);
    expect(res.body.problems).toEqual([
      expect.stringMatching(/site is associated with no CloudFront distribution/),
      expect.stringMatching(/Distribution E2FAKE carries .*other.*, not the stack's web ACL/),
    ]);
  });

  it('checks every web ACL of attach mode, and no distribution or page of its own', async () => {
    const second = ACL_ARN.replace('/site/', '/shop/').replace(
      /[0-9a-f-]{36}$/,
      '66666666-6666-6666-6666-666666666666',
    );
    const edge = new FakeEdge();
    edge.acls.set(second, aWebAcl({ Name: 'shop', ARN: second, Rules: [] }));
    edge.associations.set(second, ['E2SHOP']);
    const res = await get(makeDeps(), edge, { webAclArns: [ACL_ARN, second], distributionId: undefined });
    expect(res.body.problems).toEqual([
      expect.stringMatching(/shop does not reference the maintenance rule group/),
    ]);
  });

  it('reports a missing page, error responses and asset behaviour in managed mode', async () => {
    const edge = new FakeEdge();
    edge.page = { ok: false, detail: 'https://d111/maintenance/index.html answered 403' };
    edge.view.errorResponses = edge.view.errorResponses.filter((e) => e.errorCode !== 504);
    edge.view.behaviors = [];
    const res = await get(makeDeps(), edge);
    expect(res.body.effective).toBe(false);
    expect(res.body.problems).toEqual([
      expect.stringMatching(/no \/maintenance\/\* behaviour/),
      expect.stringMatching(/Origin 504 errors/),
      expect.stringMatching(/page is not served.*403/),
    ]);
  });

  it("reports a group whose capacity or bypass sets are not the switch's", async () => {
    const deps = makeDeps();
    deps.ruleGroup.group.Capacity = 50;
    const res = await get(deps, new FakeEdge(), { ipSets: { v4: V4, v6: V4 } });
    expect(res.body.problems).toEqual([
      expect.stringMatching(/capacity 50 WCUs, not 100/),
      expect.stringMatching(/lets through IP set .*bypass-v6.* instead of the bypass set .*bypass-v4/),
    ]);
  });

  it('still reports the status when the distribution cannot be read', async () => {
    const edge = new FakeEdge();
    edge.failWith = new MisconfiguredError('distribution E2FAKE does not exist');
    const res = await get(makeDeps(), edge);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: false, effective: false });
    expect(res.body.problems).toEqual([
      expect.stringContaining('could not be checked: distribution E2FAKE does not exist'),
    ]);
  });

  it('looks at the edge once a minute per container, but reads the position every time', async () => {
    const deps = makeDeps();
    const edge = new FakeEdge();
    const handler = createGet({ ...deps, edge, expected });
    const event = httpEvent({ headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    await invoke(handler, event);
    const looked = edge.calls;
    await invoke(createSet(deps), jsonPost(ADMIN_TOKEN, { enabled: true }));
    expect((await invoke(handler, event)).body.enabled).toBe(true);
    expect(edge.calls).toBe(looked);
    deps.clock.advance(60_000);
    await invoke(handler, event);
    expect(edge.calls).toBe(2 * looked);
  });

  it('looks at the edge afresh when the request says Cache-Control: no-cache (maintenance doctor)', async () => {
    const deps = makeDeps();
    const edge = new FakeEdge();
    const handler = createGet({ ...deps, edge, expected });
    const headers = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    await invoke(handler, httpEvent({ headers }));
    const looked = edge.calls;
    edge.associations.set(ACL_ARN, []);
    const fresh = await invoke(handler, httpEvent({ headers: { ...headers, 'cache-control': 'no-cache' } }));
    expect(edge.calls).toBe(2 * looked);
    expect(fresh.body.problems).toEqual([
      expect.stringMatching(/associated with no CloudFront distribution/),
    ]);
  });

  it('answers 401 without a token, and makes no AWS call', async () => {
    const deps = makeDeps();
    const edge = new FakeEdge();
    const res = await invoke(createGet({ ...deps, edge, expected }), httpEvent());
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(deps.ruleGroup.reads).toBe(0);
    expect(edge.calls).toBe(0);
  });
});
