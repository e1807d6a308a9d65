import { createHandler as createGet } from '../../../handlers/get-bypass';
import { createHandler as createUpdate } from '../../../handlers/update-bypass';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import {
  ADMIN_TOKEN,
  FAST_RETRIES,
  FakeClock,
  InMemoryAuditLog,
  InMemoryBypassSets,
  InMemoryTokenRegistry,
  OPERATOR_TOKEN,
} from '../../support/fakes';

function makeDeps() {
  return {
    bypass: new InMemoryBypassSets(),
    audit: new InMemoryAuditLog(),
    tokens: new InMemoryTokenRegistry([
      [OPERATOR_TOKEN, 'ops', 'operator'],
      [ADMIN_TOKEN, 'alice', 'admin'],
    ]),
    clock: new FakeClock(),
    policy: FAST_RETRIES,
  };
}

const post = (token: string | undefined, body: unknown) => jsonPost(token, body, '/maintenance/bypass');

describe('POST /maintenance/bypass', () => {
  it('lets an admin add and remove addresses, answering canonical forms, and records who did', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(6, ['2001:db8::/32']);
    const res = await invoke(
      createUpdate(deps),
      post(ADMIN_TOKEN, { add: ['198.51.100.77/24'], remove: ['2001:DB8::/32'] }),
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      added: ['198.51.100.0/24'],
      removed: ['2001:db8::/32'],
      unchanged: [],
      count: 1,
      warnings: [],
    });
    // The audit trail of who let which addresses through is the history now, not a log line.
    expect(deps.audit.entries).toMatchObject([
      {
        actor: 'alice',
        action: 'bypass.update',
        details: { added: ['198.51.100.0/24'], removed: ['2001:db8::/32'] },
      },
    ]);
  });

  it('adds a private address but answers a warning naming it, since CloudFront never sees one', async () => {
    const deps = makeDeps();
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['198.51.100.7', '10.1.2.3'] }));
    info.mockRestore();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: ['198.51.100.7/32', '10.1.2.3/32'], count: 2 });
    expect(res.body.warnings).toEqual([
      {
        field: 'add[1]',
        cidr: '10.1.2.3/32',
        range: 'private',
        message: expect.stringMatching(
          /^lies in a private range \(RFC 1918\); CloudFront only ever sees a visitor's public address/,
        ),
      },
    ]);
    expect(deps.bypass.sets[4].addresses).toEqual(['198.51.100.7/32', '10.1.2.3/32']);
  });

  it('refuses an operator with 403 and changes nothing', async () => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(OPERATOR_TOKEN, { add: ['198.51.100.1'] }));
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('urn:waf-maintenance:problem:forbidden');
    expect(deps.bypass.writes).toEqual([]);
  });

  it('refuses a missing token with 401', async () => {
    const res = await invoke(createUpdate(makeDeps()), post(undefined, { add: ['198.51.100.1'] }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each([
    ['/0', { add: ['0.0.0.0/0'] }, 'add[0]'],
    ['a /4', { add: ['198.51.100.7', '192.0.0.0/4'] }, 'add[1]'],
    ['an IPv6 /31', { add: ['2001:db8::/31'] }, 'add[0]'],
    ['a zone id', { add: ['fe80::1%eth0'] }, 'add[0]'],
    ['a port', { add: ['192.0.2.1:443'] }, 'add[0]'],
    ['inner whitespace', { remove: ['192.0.2. 1'] }, 'remove[0]'],
    ['a hostname', { add: ['192.0.2.1', 'example.com'] }, 'add[1]'],
    ['a non-string', { add: [{ cidr: '192.0.2.1' }] }, 'add[0]'],
    ['a string instead of a list', { add: '192.0.2.1' }, 'add'],
    ['an unknown field', { add: ['192.0.2.1'], replace: true }, 'replace'],
    ['nothing to do', { add: [] }, 'body'],
  ])('answers 400 for %s, naming %s, and writes nothing', async (_label, body, field) => {
    const deps = makeDeps();
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, body));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(deps.bypass.writes).toEqual([]);
  });

  it.each([
    [
      'IPv4',
      ['0.0.0.0/1', '128.0.0.0/1'],
      /^\/1 would let .* through maintenance; the shortest prefix allowed for IPv4 is \/8$/,
    ],
    [
      'IPv6',
      ['::/1', '8000::/1'],
      /^\/1 would let .* through maintenance; the shortest prefix allowed for IPv6 is \/32$/,
    ],
  ])(
    'answers 400 naming both halves of the %s internet, and writes nothing',
    async (_version, add, reason) => {
      const deps = makeDeps();
      const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'add[0]', message: expect.stringMatching(reason) },
        { field: 'add[1]', message: expect.stringMatching(reason) },
      ]);
      expect(deps.bypass.writes).toEqual([]);
    },
  );

  it('answers 502 with what was applied when a two-set change fails half-way and cannot be undone', async () => {
    const deps = makeDeps();
    const put = deps.bypass.put.bind(deps.bypass);
    let v4Writes = 0;
    deps.bypass.put = async (snapshot, addresses) => {
      if (snapshot.version === 6 || (snapshot.version === 4 && ++v4Writes > 1)) throw new Error('AWS down');
      return put(snapshot, addresses);
    };
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await invoke(createUpdate(deps), post(ADMIN_TOKEN, { add: ['198.51.100.1', '2001:db8::1'] }));
    error.mockRestore();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      type: 'urn:waf-maintenance:problem:partial-change',
      applied: { version: 'IPv4', added: ['198.51.100.1/32'], removed: [] },
    });
  });
});

describe('GET /maintenance/bypass', () => {
  it('lets an operator list the sets', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['192.0.2.0/24']);
    const res = await invoke(
      createGet(deps),
      httpEvent({ path: '/maintenance/bypass', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ addresses: [{ cidr: '192.0.2.0/24', version: 4 }], count: 1, limit: 10_000 });
  });
});
