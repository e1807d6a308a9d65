import * as z from 'zod/mini';
import { httpRoute } from '../../../handlers/lib/http';
import type { TokenRoute } from '../../../src/api/routes';
import { httpEvent, invoke } from '../../support/events';
import { ADMIN_TOKEN, InMemoryTokenRegistry, OPERATOR_TOKEN } from '../../support/fakes';

describe('httpRoute', () => {
  const tokens = new InMemoryTokenRegistry();
  tokens.add(OPERATOR_TOKEN, 'ops', 'operator');
  tokens.add(ADMIN_TOKEN, 'boss', 'admin');
  let calls = 0;
  const route = {
    method: 'GET',
    path: '/whoami',
    role: 'admin',
    action: 'ask who they are',
    answer: z.object({ who: z.string() }),
  } as const satisfies TokenRoute;
  const adminOnly = httpRoute(route, { tokens }, async ({ principal }) => {
    calls++;
    return { statusCode: 200, body: { who: principal.name } };
  });

  it('answers 403 to a known token whose role is too low, without running the route', async () => {
    calls = 0;
    const res = await invoke(
      adminOnly,
      httpEvent({ headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }),
    );
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('urn:waf-maintenance:problem:forbidden');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(calls).toBe(0);
  });

  it('runs the route for a sufficient role and hands it the principal', async () => {
    const res = await invoke(adminOnly, httpEvent({ headers: { authorization: `bearer ${ADMIN_TOKEN}` } }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ who: 'boss' });
  });

  it('refuses other authorization schemes', async () => {
    const res = await invoke(adminOnly, httpEvent({ headers: { authorization: `Basic ${ADMIN_TOKEN}` } }));
    expect(res.status).toBe(401);
  });
});
