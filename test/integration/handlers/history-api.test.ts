import { createHandler as createHistory } from '../../../handlers/get-history';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { windowDeps } from '../../../handlers/lib/window-deps';
import { createHandler as createToggle } from '../../../handlers/set-maintenance';
import { createHandler as createBypass } from '../../../handlers/update-bypass';
import { createHandler as createExemptions } from '../../../handlers/update-exemptions';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { API } from '../../../src/api/routes';
import type { Entry } from '../../../src/domain/history';
import { ROLES, type Role } from '../../../src/domain/roles';
import { mintToken } from '../../../src/use-cases/mint-token';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { handlerEnv, provisionTestStack } from '../../support/stack';

describe('GET /maintenance/history against moto', () => {
  let stack: ProvisionedStack;
  const tokens: Record<Role, string> = { operator: '', admin: '' };
  let handlers: {
    toggle: ReturnType<typeof createToggle>;
    bypass: ReturnType<typeof createBypass>;
    exemptions: ReturnType<typeof createExemptions>;
    history: ReturnType<typeof createHistory>;
  };

  beforeAll(async () => {
    stack = await provisionTestStack();
    const deps = { ...awsDeps(handlerEnv(stack)), ...windowDeps(handlerEnv(stack)) };
    for (const role of ROLES) tokens[role] = (await mintToken(deps, { name: `${role}-bot`, role })).token;
    handlers = {
      toggle: createToggle(deps),
      bypass: createBypass(deps),
      exemptions: createExemptions(deps),
      history: createHistory(deps),
    };
  });

  const post = (handler: keyof typeof handlers, role: Role, body: unknown, path: string) =>
    invoke(handlers[handler], jsonPost(tokens[role], body, path));
  const history = (query = '', token: string | null = tokens.operator) =>
    invoke(
      handlers.history,
      httpEvent({
        path: API.getHistory.path,
        rawQueryString: query,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
    );
  const all = async (): Promise<Entry[]> => (await history('limit=100')).body.entries;

  it('starts empty', async () => {
    const res = await history();
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ entries: [], nextCursor: null });
  });

  it('holds every change, newest first, with who did what; a no-op and a refused request leave none', async () => {
    const toggle = API.setMaintenance.path;
    expect((await post('toggle', 'operator', { enabled: true, reason: 'DB upgrade' }, toggle)).status).toBe(
      200,
    );
    expect((await post('bypass', 'admin', { add: ['198.51.100.7'] }, API.updateBypass.path)).status).toBe(
      200,
    );
    expect((await post('exemptions', 'admin', { add: ['/health'] }, API.updateExemptions.path)).status).toBe(
      200,
    );
    expect((await post('toggle', 'operator', { enabled: false }, toggle)).status).toBe(200);
    // Nothing to change, refused by role, refused as invalid: none of them is a change.
    expect((await post('toggle', 'operator', { enabled: false }, toggle)).body.changed).toBe(false);
    expect((await post('bypass', 'operator', { add: ['192.0.2.1'] }, API.updateBypass.path)).status).toBe(
      403,
    );
    expect((await post('exemptions', 'admin', { add: ['/'] }, API.updateExemptions.path)).status).toBe(400);
    expect((await post('bypass', 'admin', { add: ['198.51.100.7'] }, API.updateBypass.path)).status).toBe(
      200,
    );

    const entries = await all();
    expect(entries.map(({ action, actor, details }) => ({ action, actor, details }))).toEqual([
      {
        action: 'maintenance.off',
        actor: 'operator-bot',
        details: { reason: null, retryAfterSeconds: null },
      },
      { action: 'exemptions.update', actor: 'admin-bot', details: { added: ['/health'], removed: [] } },
      { action: 'bypass.update', actor: 'admin-bot', details: { added: ['198.51.100.7/32'], removed: [] } },
      {
        action: 'maintenance.on',
        actor: 'operator-bot',
        details: { reason: 'DB upgrade', retryAfterSeconds: 300 },
      },
    ]);
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('pages with an opaque cursor until nextCursor is null, each entry once', async () => {
    const everything = await all();
    const seen: Entry[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await history(`limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.entries);
      cursor = res.body.nextCursor;
      if (cursor === null) break;
      expect(res.body.entries).toHaveLength(3);
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(everything);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=5&limit=6', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['page=2', 'page'],
  ])('refuses ?%s with a 400 naming %s', async (query, field) => {
    const res = await history(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a request without a token with 401', async () => {
    expect((await history('', null)).status).toBe(401);
  });
});
