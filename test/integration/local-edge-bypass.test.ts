import { awsDeps } from '../../handlers/lib/aws-deps';
import { Deadline } from '../../src/domain/deadline';
import { systemClock } from '../../src/ports/clock';
import { getMaintenanceStatus } from '../../src/use-cases/get-maintenance-status';
import { updateExemptions } from '../../src/use-cases/update-exemptions';
import { type EdgeRig, startEdgeRig, visit } from '../support/edge-rig';
import { handlerEnv } from '../support/stack';

/**
 * Exempt paths, the secret link, its cookie and the header, through the local edge: the real handler
 * turns maintenance on (drawing the secret), the edge evaluates what moto holds, visitors are plain
 * HTTP clients on 127.0.0.2.
 */

const SITE = 'the site';

describe('exemptions and the secret bypass link, through the local edge', () => {
  let rig: EdgeRig;
  /** The link's path, as the status shows it to an operator. */
  const bypassLink = async (): Promise<string | null> =>
    (await getMaintenanceStatus(awsDeps(handlerEnv(rig.stack)))).bypassLink;
  const secretOf = (link: string | null) => (link ?? '').split('/').pop() ?? '';

  beforeAll(async () => {
    rig = await startEdgeRig('eby', {
      answer: () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: SITE }),
    });
    const deps = awsDeps(handlerEnv(rig.stack));
    await updateExemptions(
      { ...deps, deadline: Deadline.in(systemClock, 20_000) },
      { add: ['/health', '/api/webhooks/*'], actor: 'test-setup' },
    );
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await rig?.close();
  });

  describe('while maintenance is on', () => {
    let link: string;
    let secret: string;

    beforeAll(async () => {
      await rig.toggle({ enabled: true, reason: 'Database upgrade', retryAfterSeconds: 600 });
      link = (await bypassLink()) as string;
      secret = secretOf(link);
    });

    it('shows the link to operators as a path holding 256 random bits', () => {
      expect(link).toMatch(/^\/__maintenance\/bypass\/[A-Za-z0-9_-]{43}$/);
    });

    it.each(['/health', '/api/webhooks/stripe', '/api/webhooks/'])(
      'lets the exempt %s reach the origin',
      async (path) => {
        expect(await visit(rig.edge, path)).toMatchObject({ status: 200, body: SITE });
      },
    );

    it.each([
      '/healthz',
      '/health/deep',
      '/api/webhooks',
      '/',
      // Under an exempt prefix, or the page's own, but climbing out of it: the origin would serve /admin.
      '/api/webhooks/../admin',
      '/api/webhooks/%2e%2e/admin',
      '/api/webhooks/%2E%2E%2fadmin',
      '/maintenance/../admin',
      '/maintenance/.%2e/admin',
    ])('gives the neighbour %s the page', async (path) => {
      const res = await visit(rig.edge, path);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('600');
    });

    it('answers the link with a 302 to / that sets the cookie, never reaching the origin', async () => {
      const before = rig.origin.seen.length;
      const res = await visit(rig.edge, link);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
      expect(res.headers['set-cookie']).toEqual([
        `maintenance_bypass=${secret}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=86400`,
      ]);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(rig.origin.seen.length).toBe(before);
    });

    it('lets the holder of the cookie through, alone or among other cookies', async () => {
      for (const cookie of [`maintenance_bypass=${secret}`, `a=1; maintenance_bypass=${secret}; b=2`]) {
        expect(await visit(rig.edge, '/checkout', { headers: { cookie } })).toMatchObject({
          status: 200,
          body: SITE,
        });
      }
    });

    it('gives a wrong cookie, or the secret in another cookie, the page', async () => {
      for (const cookie of [
        `maintenance_bypass=${secret}x`,
        `maintenance_bypass=${secret.slice(1)}`,
        `other=${secret}`,
      ]) {
        expect((await visit(rig.edge, '/checkout', { headers: { cookie } })).status).toBe(503);
      }
    });

    it('lets a monitor with the header through, and not with a wrong one', async () => {
      const ok = await visit(rig.edge, '/', { headers: { 'x-maintenance-bypass': secret } });
      expect(ok).toMatchObject({ status: 200, body: SITE });
      const wrong = await visit(rig.edge, '/', { headers: { 'x-maintenance-bypass': secret.toLowerCase() } });
      expect(wrong.status).toBe(503);
    });

    it('keeps the secret while maintenance stays on with a new reason', async () => {
      await rig.toggle({ enabled: true, reason: 'Taking longer', retryAfterSeconds: 900 });
      expect(await bypassLink()).toBe(link);
      expect(
        (await visit(rig.edge, '/', { headers: { cookie: `maintenance_bypass=${secret}` } })).status,
      ).toBe(200);
    });
  });

  describe('after maintenance is off and on again', () => {
    let old: string;

    beforeAll(async () => {
      old = secretOf(await bypassLink());
      await rig.toggle({ enabled: false });
    });

    it('shows no link while off, and the old link sets nothing: it is just a path of the site', async () => {
      expect(await bypassLink()).toBeNull();
      const res = await visit(rig.edge, `/__maintenance/bypass/${old}`);
      expect(res).toMatchObject({ status: 200, body: SITE });
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('passes nothing with the old secret at the next window, which has a new one', async () => {
      await rig.toggle({ enabled: true, reason: 'Second window' });
      const fresh = secretOf(await bypassLink());
      expect(fresh).not.toBe(old);
      expect((await visit(rig.edge, '/', { headers: { cookie: `maintenance_bypass=${old}` } })).status).toBe(
        503,
      );
      expect((await visit(rig.edge, '/', { headers: { 'x-maintenance-bypass': old } })).status).toBe(503);
      expect((await visit(rig.edge, `/__maintenance/bypass/${old}`)).status).toBe(503);
      expect(
        (await visit(rig.edge, '/', { headers: { cookie: `maintenance_bypass=${fresh}` } })).status,
      ).toBe(200);
      expect((await visit(rig.edge, '/health')).status).toBe(200);
      await rig.toggle({ enabled: false });
    });
  });
});
