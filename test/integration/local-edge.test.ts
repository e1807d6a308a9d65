import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  CreateWebACLCommand,
  GetWebACLCommand,
  type Rule,
  UpdateWebACLCommand,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { type RunningEdge, startEdgeServer } from '../../scripts/local/edge/edge-server';
import { VIA } from '../../scripts/local/edge/origin-forwarding';
import { freePort } from '../../scripts/local/moto';
import type { ProvisionedStack } from '../../scripts/local/provision';
import { SITE_DIR } from '../../scripts/local/site';
import { parseWebAclArn } from '../../src/adapters/aws/waf-arn';
import { toUpdateInput } from '../../src/adapters/aws/waf-web-acl-store';
import { MAINTENANCE_PROBLEM_TYPE } from '../../src/domain/maintenance-page';
import { type EdgeRig, type RecordingOrigin, type Seen, startEdgeRig, visit } from '../support/edge-rig';

const sitePage = readFileSync(join(SITE_DIR, 'index.html'), 'utf8');

describe('the local edge against moto', () => {
  const waf = new WAFV2Client({ region: 'us-east-1' });
  let clock = Date.now();
  let rig: EdgeRig;
  let stack: ProvisionedStack;
  let origin: RecordingOrigin;
  let edge: RunningEdge;
  const toggle = (body: object) => rig.toggle(body);

  beforeAll(async () => {
    rig = await startEdgeRig('edge', {
      // `/status/NNN` answers NNN; everything else 200.
      answer: ({ url }) => {
        const status = Number(/^\/status\/(\d{3})/.exec(url)?.[1] ?? 200);
        return {
          status,
          headers: { 'content-type': 'text/plain', 'x-origin': 'test' },
          body: `origin ${status}`,
        };
      },
      now: () => clock,
    });
    ({ stack, origin, edge } = rig);
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await rig?.close();
  });

  describe('with maintenance off', () => {
    it('forwards a visitor’s request to the origin whole and streams its answer back, marked by the edge', async () => {
      const before = origin.seen.length;
      const res = await visit(edge, '/orders?page=2', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-team': 'a', 'x-forwarded-for': '203.0.113.9' },
        body: '{"item":1}',
      });

      expect(res).toMatchObject({ status: 200, body: 'origin 200' });
      expect(res.headers['x-origin']).toBe('test');
      expect(res.headers.via).toBe(VIA);
      expect(origin.seen.slice(before)).toEqual([
        expect.objectContaining({ method: 'POST', url: '/orders?page=2', body: '{"item":1}' }),
      ]);
      const { headers } = origin.seen[before] as Seen;
      expect(headers.host).toBe(new URL(origin.url).host);
      expect(headers['x-team']).toBe('a');
      expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.2');
      expect(headers.via).toBe(VIA);
    });

    it('serves /maintenance/* from the emulated bucket with the object’s content type, never from the origin', async () => {
      const before = origin.seen.length;
      const res = await visit(edge, '/maintenance/style.css');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(res.body).toBe(readFileSync(join(SITE_DIR, 'style.css'), 'utf8'));
      expect(res.headers.server).toBeUndefined();
      expect(origin.seen.length).toBe(before);
    });

    it('answers an origin 502 with the distribution’s error page as a 503, and keeps it for ErrorCachingMinTTL', async () => {
      const before = origin.seen.length;
      const first = await visit(edge, '/status/502');
      expect(first.status).toBe(503);
      expect(first.headers['content-type']).toMatch(/^text\/html/);
      expect(first.body).toBe(sitePage);

      // Within the 5 s CloudFront keeps the error, the origin is not asked again.
      clock += 4_000;
      expect((await visit(edge, '/status/502')).status).toBe(503);
      expect(origin.seen.length).toBe(before + 1);
      clock += 1_500;
      expect((await visit(edge, '/status/502')).status).toBe(503);
      expect(origin.seen.length).toBe(before + 2);
    });

    it('passes an origin error without an error page through as it is', async () => {
      const res = await visit(edge, '/status/500');
      expect(res).toMatchObject({ status: 500, body: 'origin 500' });
    });

    it('answers 403 for a method the behaviour does not allow', async () => {
      expect((await visit(edge, '/maintenance/style.css', { method: 'POST', body: 'x' })).status).toBe(403);
    });

    it('answers an origin that refuses the connection with the error page, as CloudFront’s 502', async () => {
      const refusing = await startEdgeServer({
        port: 0,
        distributionId: stack.distributionId,
        originUrl: `http://127.0.0.1:${await freePort()}`,
        emulatorUrl: process.env.AWS_ENDPOINT_URL as string,
      });
      try {
        const res = await visit(refusing, '/');
        expect(res.status).toBe(503);
        expect(res.body).toBe(sitePage);
      } finally {
        await refusing.close();
      }
    });
  });

  describe('with maintenance on', () => {
    beforeAll(() =>
      toggle({ enabled: true, reason: 'Database <upgrade> & "more"', retryAfterSeconds: 1200 }),
    );
    afterAll(() => toggle({ enabled: false }));

    it('answers a visitor with the 503, Retry-After and the page, the reason escaped', async () => {
      const res = await visit(edge, '/');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1200');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toBe('text/html');
      expect(res.headers.via).toBe(VIA);
      expect(res.body).toContain('Database &lt;upgrade&gt; &amp; &quot;more&quot;');
    });

    it('answers a JSON client with the problem body', async () => {
      const res = await visit(edge, '/api/orders', { headers: { accept: 'application/json' } });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1200');
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body)).toMatchObject({
        type: MAINTENANCE_PROBLEM_TYPE,
        status: 503,
        detail: 'Database <upgrade> & "more"',
        retryAfterSeconds: 1200,
      });
    });

    it('still serves the page’s assets from the bucket', async () => {
      const res = await visit(edge, '/maintenance/style.css');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    });

    it('never lets a blocked visitor reach the origin', async () => {
      const before = origin.seen.length;
      await visit(edge, '/');
      await visit(edge, '/checkout', { method: 'POST', body: 'x' });
      await visit(edge, '/status/502', { headers: { accept: 'application/json' } });
      expect(origin.seen.length).toBe(before);
    });

    it('lets a bypassed address through to the origin, and only that one', async () => {
      await rig.bypass({ add: ['127.0.0.3/32'] });
      const before = origin.seen.length;

      expect(await visit(edge, '/', { from: '127.0.0.3' })).toMatchObject({
        status: 200,
        body: 'origin 200',
      });
      expect((await visit(edge, '/', { from: '127.0.0.2' })).status).toBe(503);
      // The viewer is the TCP peer: a header claiming a bypassed address changes nothing.
      const claimed = await visit(edge, '/', {
        from: '127.0.0.2',
        headers: { 'x-forwarded-for': '127.0.0.3' },
      });
      expect(claimed.status).toBe(503);
      expect(origin.seen.length).toBe(before + 1);
    });

    it('shows the site again as soon as maintenance is off', async () => {
      await toggle({ enabled: false });
      expect((await visit(edge, '/')).status).toBe(200);
      await toggle({ enabled: true, reason: 'Again', retryAfterSeconds: 1200 });
      expect((await visit(edge, '/')).status).toBe(503);
    });
  });

  describe('behind a web ACL whose default action is a plain Block', () => {
    const cloudfront = new CloudFrontClient({ region: 'us-east-1' });
    const visibility = {
      SampledRequestsEnabled: false,
      CloudWatchMetricsEnabled: false,
      MetricName: 'block-all',
    };
    let original: DistributionConfig;
    let blockAll: { arn: string; id: string; name: string };

    async function updateDistribution(change: (config: DistributionConfig) => DistributionConfig) {
      const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: stack.distributionId }));
      await cloudfront.send(
        new UpdateDistributionCommand({
          Id: stack.distributionId,
          IfMatch: current.ETag,
          DistributionConfig: change(current.DistributionConfig as DistributionConfig),
        }),
      );
      return current.DistributionConfig as DistributionConfig;
    }

    beforeAll(async () => {
      const name = `block-all-${stack.stage}`;
      const out = await waf.send(
        new CreateWebACLCommand({
          Name: name,
          Scope: 'CLOUDFRONT',
          DefaultAction: { Block: {} },
          VisibilityConfig: visibility,
          Rules: [],
        }),
      );
      blockAll = { arn: out.Summary?.ARN as string, id: out.Summary?.Id as string, name };
      original = await updateDistribution((config) => ({
        ...config,
        WebACLId: blockAll.arn,
        CustomErrorResponses: {
          Quantity: 1,
          Items: [{ ErrorCode: 403, ResponsePagePath: '/maintenance/index.html', ResponseCode: '403' }],
        },
      }));
    });

    afterAll(() => updateDistribution(() => original));

    it('answers WAF’s default 403 with the distribution’s error page for 403, and never reaches the origin', async () => {
      const before = origin.seen.length;
      const res = await visit(edge, '/', { from: '127.0.0.3' });
      expect(res.status).toBe(403);
      expect(res.body).toBe(sitePage);
      expect(origin.seen.length).toBe(before);
    });

    it('leaves a custom Block response as WAF sends it, whatever error pages the distribution has', async () => {
      const { WebACL, LockToken } = await waf.send(
        new GetWebACLCommand({ Name: blockAll.name, Id: blockAll.id, Scope: 'CLOUDFRONT' }),
      );
      const custom = {
        ...WebACL,
        DefaultAction: { Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'no' } } },
        CustomResponseBodies: { no: { ContentType: 'TEXT_PLAIN', Content: 'not for you' } },
      } as WebACL;
      const ref = { name: blockAll.name, id: blockAll.id, scope: 'CLOUDFRONT' as const };
      await waf.send(new UpdateWebACLCommand(toUpdateInput(ref, custom, LockToken as string)));

      const res = await visit(edge, '/');
      expect(res).toMatchObject({ status: 403, body: 'not for you' });
      expect(res.headers['content-type']).toBe('text/plain');
    });
  });

  describe('with a statement it cannot evaluate in the web ACL', () => {
    const ref = () => parseWebAclArn(stack.webAclArn);
    const read = async () => {
      const { name, id, scope } = ref();
      return waf.send(new GetWebACLCommand({ Name: name, Id: id, Scope: scope }));
    };

    beforeAll(async () => {
      const { WebACL, LockToken } = await read();
      const geo: Rule = {
        Name: 'team-geo',
        Priority: 1,
        Action: { Block: {} },
        Statement: { GeoMatchStatement: { CountryCodes: ['KP'] } },
        VisibilityConfig: {
          SampledRequestsEnabled: false,
          CloudWatchMetricsEnabled: false,
          MetricName: 'geo',
        },
      };
      const acl = { ...WebACL, Rules: [...(WebACL?.Rules ?? []), geo] } as WebACL;
      await waf.send(new UpdateWebACLCommand(toUpdateInput(ref(), acl, LockToken as string)));
    });

    it('answers a loud 500 naming it, and never lets the request through', async () => {
      const before = origin.seen.length;
      const res = await visit(edge, '/');
      expect(res.status).toBe(500);
      expect(res.body).toMatch(/cannot evaluate the statement GeoMatchStatement/);
      expect(res.body).toMatch(/a preview of this switch's rules, not a WAF/);
      expect(origin.seen.length).toBe(before);
    });
  });
});
