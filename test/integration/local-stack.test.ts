import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  GetIPSetCommand,
  GetRuleGroupCommand,
  GetWebACLCommand,
  ListIPSetsCommand,
  ListRuleGroupsCommand,
  ListWebACLsCommand,
  type Rule,
  type RuleGroup,
  UpdateWebACLCommand,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { freePort } from '../../scripts/local/moto';
import { ROOT } from '../../scripts/local/stack-definition';
import { DynamoDbSlackGrants } from '../../src/adapters/aws/dynamodb-slack-grants';
import { parseWebAclArn } from '../../src/adapters/aws/waf-arn';
import { toUpdateInput } from '../../src/adapters/aws/waf-web-acl-store';
import type { Role } from '../../src/domain/roles';
import { HTML_RULE_NAME } from '../../src/domain/rule-group';
import { runCli } from '../support/cli';
import { visit } from '../support/edge-rig';
import { type JsonListener, startJsonListener } from '../support/json-listener';
import { accepts, captured, withTimeout } from '../support/local-stack';
import {
  killGroup,
  READY_TIMEOUT_MS,
  STOP_TIMEOUT_MS,
  type Started,
  scriptEnv,
  startScript,
  stopScript,
  waitForBanner,
} from '../support/script-stack';

const STAGE = 'localtest';
const SLACK_SECRET = 'local-stack-test-signing-secret';

describe('npm start (the local stack)', () => {
  let started: Started | undefined;
  let motoPort: number;
  let api: { apiUrl: string; admin: string; operator: string };
  let edgePort: number;
  let waf: WAFV2Client;

  async function webAcl(): Promise<{ acl: WebACL; lockToken: string | undefined }> {
    const list = await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
    const summary = list.WebACLs?.find((a) => a.Name === `waf-maintenance-${STAGE}`);
    const out = await waf.send(
      new GetWebACLCommand({ Scope: 'CLOUDFRONT', Name: summary?.Name, Id: summary?.Id }),
    );
    return { acl: out.WebACL as WebACL, lockToken: out.LockToken };
  }

  /** The switch's rule group in the emulator, where every toggle lands. */
  async function ruleGroup(): Promise<{ group: RuleGroup; lockToken: string | undefined }> {
    const list = await waf.send(new ListRuleGroupsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
    const summary = list.RuleGroups?.find((g) => g.Name === `waf-maintenance-${STAGE}`);
    const out = await waf.send(
      new GetRuleGroupCommand({ Scope: 'CLOUDFRONT', Name: summary?.Name, Id: summary?.Id }),
    );
    return { group: out.RuleGroup as RuleGroup, lockToken: out.LockToken };
  }

  const maintenanceRule = async () => (await ruleGroup()).group.Rules?.find((r) => r.Name === HTML_RULE_NAME);

  function post(body: unknown, token?: string, path = '/maintenance'): Promise<Response> {
    return fetch(`${api.apiUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  }

  // A stand-in for the Slack incoming webhook (SLACK_WEBHOOK_URL), on 127.0.0.1.
  let webhook: JsonListener;

  beforeAll(async () => {
    webhook = await startJsonListener();
    motoPort = await freePort();
    const httpPort = await freePort();
    edgePort = await freePort();
    started = startScript(
      scriptEnv({
        PORT: String(httpPort),
        MOTO_PORT: String(motoPort),
        EDGE_PORT: String(edgePort),
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_WEBHOOK_URL: `${webhook.url}/services/T0LOCAL/B0LOCAL/local`,
      }),
      ['--stage', STAGE],
    );
    api = await waitForBanner(started);
    waf = new WAFV2Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${motoPort}`,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await stopScript(started);
    await webhook?.close();
  }, STOP_TIMEOUT_MS + 5_000);

  it('serves the API on 127.0.0.1 without a stage prefix, with fresh tokens', () => {
    expect(api.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.admin).not.toEqual(api.operator);
  });

  it('answers GET /maintenance with maintenance off', async () => {
    const res = await fetch(`${api.apiUrl}/maintenance`, {
      headers: { authorization: `Bearer ${api.operator}` },
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, action: 'COUNT' });
  });

  it('answers GET /maintenance/exemptions to the operator token: no exempt path yet', async () => {
    const res = await fetch(`${api.apiUrl}/maintenance/exemptions`, {
      headers: { authorization: `Bearer ${api.operator}` },
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ paths: [], count: 0, limit: 20 });
  });

  it('prints commands that work as printed, pasted into a new shell that has none of its variables', async () => {
    const { stdout } = started?.output() ?? { stdout: '' };
    const commands = stdout
      .split('\n')
      .filter((line) => /^ {2}(curl|export|npx|AWS_ENDPOINT_URL=)/.test(line))
      .map((line) => line.trim());
    expect(commands.map((c) => c.split(' ').find((word) => !word.includes('=')))).toEqual([
      'curl',
      'curl',
      'curl',
      'export',
      'export',
      'npx',
      'npx',
    ]);
    const home = mkdtempSync(join(tmpdir(), 'banner-shell-'));
    try {
      // A new terminal: PATH and a HOME without AWS configuration, nothing the stack exported.
      const shell = spawn('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const { output, exit } = captured(shell);
      const result = await withTimeout(exit, 60_000, 'the banner commands');
      const { stdout: out, stderr } = output();
      expect({ code: result.code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(out).toContain('"enabled":true');
      expect(out).toContain('"enabled":false');
      expect(out).toMatch(/Maintenance is off/i);
      expect(out).toMatch(/U0123ABCD/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('serves the local edge on EDGE_PORT, printed on the Edge line: the sample site while maintenance is off', async () => {
    const edgeUrl = /^Edge: (http:\/\/\S+)$/m.exec(started?.output().stdout ?? '')?.[1];
    expect(edgeUrl).toBe(`http://127.0.0.1:${edgePort}`);

    const res = await fetch(`${edgeUrl}/`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('The sample site');
  });

  it('provisions the distribution with the web ACL attached, and the page in the site bucket', async () => {
    const emulator = {
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${motoPort}`,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const { stdout } = started?.output() ?? { stdout: '' };
    const distributionId = /^\s+Distribution\s+(\S+)/m.exec(stdout)?.[1];
    const bucket = `waf-maintenance-${STAGE}-site-123456789012`;

    const cloudfront = new CloudFrontClient(emulator);
    const { DistributionConfig } = await cloudfront.send(
      new GetDistributionConfigCommand({ Id: distributionId }),
    );
    expect(DistributionConfig?.WebACLId).toBe((await webAcl()).acl.ARN);
    expect(DistributionConfig?.CacheBehaviors?.Items?.map((b) => b.PathPattern)).toEqual(['/maintenance/*']);

    const s3 = new S3Client({ ...emulator, forcePathStyle: true });
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map(
      (o) => o.Key,
    );
    expect(keys).toContain('maintenance/index.html');
    expect(keys).not.toContain('maintenance/shell.html');

    const page = await fetch(`http://127.0.0.1:${motoPort}/${bucket}/maintenance/index.html`, {
      signal: AbortSignal.timeout(10_000),
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  describe('maintenance doctor', () => {
    const doctor = () =>
      runCli(['doctor'], { env: { MAINTENANCE_API_URL: api.apiUrl, MAINTENANCE_TOKEN: api.operator } });

    async function attach(webAclId: string): Promise<void> {
      const cloudfront = new CloudFrontClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${motoPort}`,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      const id = /^\s+Distribution\s+(\S+)/m.exec(started?.output().stdout ?? '')?.[1];
      const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
      await cloudfront.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: current.ETag,
          DistributionConfig: { ...current.DistributionConfig, WebACLId: webAclId } as DistributionConfig,
        }),
      );
    }

    it('finds the freshly started stack effective', async () => {
      const result = await doctor();
      expect(result.stdout).toContain('Effective');
      expect(result.code).toBe(0);
    });

    it('reports a web ACL that is no longer attached to the distribution, and exits 1', async () => {
      const arn = (await webAcl()).acl.ARN as string;
      await attach('');
      try {
        const result = await doctor();
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(
          /waf-maintenance-localtest is associated with no CloudFront distribution/,
        );
        expect(result.stdout).toMatch(/Distribution \S+ carries no web ACL, not the stack's web ACL/);
      } finally {
        await attach(arn);
      }
    });

    it('reports a web ACL that lost its reference to the rule group, and exits 1', async () => {
      const { acl, lockToken } = await webAcl();
      const ref = parseWebAclArn(acl.ARN as string);
      // Another rule in its place: moto ignores an update to no rules at all (AWS would empty the ACL).
      const own: Rule = {
        Name: 'team-rule',
        Priority: 0,
        Action: { Count: {} },
        Statement: { GeoMatchStatement: { CountryCodes: ['KP'] } },
        VisibilityConfig: {
          SampledRequestsEnabled: false,
          CloudWatchMetricsEnabled: false,
          MetricName: 'team',
        },
      };
      await waf.send(
        new UpdateWebACLCommand(toUpdateInput(ref, { ...acl, Rules: [own] }, lockToken as string)),
      );
      try {
        // The doctor asks for a fresh look at the edge (Cache-Control: no-cache), not the minute-old one.
        const result = await doctor();
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/does not reference the maintenance rule group/);
      } finally {
        const now = await webAcl();
        await waf.send(new UpdateWebACLCommand(toUpdateInput(ref, acl, now.lockToken as string)));
      }
    });
  });

  it('refuses a POST without a token with 401 and leaves the rule group as it was', async () => {
    const before = await ruleGroup();

    const res = await post({ enabled: true });

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 401 });
    expect(await ruleGroup()).toEqual(before);
  });

  it("turns maintenance on: the group's rule blocks with a 503 and Retry-After in the emulator, the ACL untouched", async () => {
    const acl = await webAcl();
    const res = await post(
      { enabled: true, retryAfterSeconds: 1800, reason: 'Database upgrade' },
      api.operator,
    );

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, action: 'BLOCK', changed: true });
    const rule = await maintenanceRule();
    expect(rule?.Action?.Block?.CustomResponse?.ResponseCode).toBe(503);
    expect(rule?.Action?.Block?.CustomResponse?.ResponseHeaders).toContainEqual({
      Name: 'Retry-After',
      Value: '1800',
    });
    expect(await webAcl()).toEqual(acl);
  });

  it('turns maintenance off: the rule counts again', async () => {
    const res = await post({ enabled: false }, api.operator);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, changed: true });
    expect((await maintenanceRule())?.Action).toEqual({ Count: {} });
  });

  it('lets the admin token add a bypass address, canonical, into the emulator IP set; not the operator', async () => {
    const refused = await post({ add: ['198.51.100.7/24'] }, api.operator, '/maintenance/bypass');
    expect(refused.status).toBe(403);

    const res = await post({ add: ['198.51.100.7/24'] }, api.admin, '/maintenance/bypass');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ added: ['198.51.100.0/24'], count: 1 });
    const sets = await waf.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
    const v4 = sets.IPSets?.find((s) => s.Name === `waf-maintenance-${STAGE}-bypass-v4`);
    const stored = await waf.send(new GetIPSetCommand({ Scope: 'CLOUDFRONT', Name: v4?.Name, Id: v4?.Id }));
    expect(stored.IPSet?.Addresses).toEqual(['198.51.100.0/24']);
  });

  describe('Slack', () => {
    let slack: JsonListener;
    let responseUrl = '';

    /** Grants the test's Slack user a role, in the emulator's table. */
    const grant = (role: Role) =>
      new DynamoDbSlackGrants(
        new DynamoDBClient({
          region: 'us-east-1',
          endpoint: `http://127.0.0.1:${motoPort}`,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        }),
        `waf-maintenance-${STAGE}`,
      ).grant({ userId: 'U0LOCAL01', role, grantedAt: new Date().toISOString() });

    beforeAll(async () => {
      // A stand-in for Slack's response_url endpoint, on 127.0.0.1 (the local stack admits that origin).
      slack = await startJsonListener();
      responseUrl = `${slack.url}/commands/1/2`;
      await grant('operator');
    });

    afterAll(() => slack.close());

    function slashCommand(text: string, secret = SLACK_SECRET): Promise<Response> {
      const body = new URLSearchParams({
        command: '/maintenance',
        text,
        user_id: 'U0LOCAL01',
        user_name: 'alice',
        response_url: responseUrl,
      }).toString();
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      return fetch(`${api.apiUrl}/slack/command`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
    }

    it('refuses a request signed with another secret with an empty 401, changing nothing', async () => {
      const before = await ruleGroup();
      const res = await slashCommand('on 30m Forged', 'not-the-secret');
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      expect(await ruleGroup()).toEqual(before);
    });

    it('turns maintenance on from `/maintenance on 30m Database upgrade` and announces it', async () => {
      const res = await slashCommand('on 30m Database upgrade');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ response_type: 'ephemeral' });

      // The worker runs asynchronously: wait (bounded) for its announcement.
      const deadline = Date.now() + 20_000;
      while (slack.received.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(slack.received[0]).toMatchObject({ response_type: 'in_channel' });
      expect(String(slack.received[0]?.text)).toContain('<@U0LOCAL01>');
      expect(JSON.stringify(slack.received[0])).not.toContain('__maintenance/bypass');
      // Then the caller's own link, full, since the stack knows the site (the local edge).
      while (slack.received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(slack.received[1]).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(slack.received[1])).toMatch(
        new RegExp(`<http://127\\.0\\.0\\.1:${edgePort}/__maintenance/bypass/[A-Za-z0-9_-]{43}>`),
      );

      const rule = await maintenanceRule();
      expect(rule?.Action?.Block?.CustomResponse?.ResponseHeaders).toContainEqual({
        Name: 'Retry-After',
        Value: '1800',
      });
      const status = await fetch(`${api.apiUrl}/maintenance`, {
        headers: { authorization: `Bearer ${api.operator}` },
      });
      expect(await status.json()).toMatchObject({
        enabled: true,
        reason: 'Database upgrade',
        retryAfterSeconds: 1800,
        changedBy: 'slack:alice (U0LOCAL01)',
      });
      expect((await post({ enabled: false }, api.operator)).status).toBe(200);
    });

    it('puts a bypass change made from Slack in the history, with the Slack user as its author', async () => {
      await grant('admin');
      slack.received.length = 0;
      expect((await slashCommand('allow 203.0.113.9')).status).toBe(200);
      const deadline = Date.now() + 20_000;
      while (slack.received.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(slack.received[0]).toMatchObject({ response_type: 'in_channel' });

      const res = await fetch(`${api.apiUrl}/maintenance/history?limit=4`, {
        headers: { authorization: `Bearer ${api.operator}` },
        signal: AbortSignal.timeout(30_000),
      });
      expect(res.status).toBe(200);
      const { entries } = (await res.json()) as { entries: Array<Record<string, unknown>> };
      expect(entries.map(({ action, actor }) => ({ action, actor }))).toEqual([
        { action: 'bypass.update', actor: 'slack:alice (U0LOCAL01)' },
        { action: 'maintenance.off', actor: 'local-operator' },
        { action: 'maintenance.on', actor: 'slack:alice (U0LOCAL01)' },
        { action: expect.any(String), actor: expect.any(String) },
      ]);
      expect(entries[0]?.details).toEqual({ added: ['203.0.113.9/32'], removed: [] });
    });
  });

  describe('what gets through during maintenance, at the local edge', () => {
    const edge = () => ({ url: `http://127.0.0.1:${edgePort}`, port: edgePort, close: async () => {} });
    const cliEnv = () => ({ MAINTENANCE_API_URL: api.apiUrl, MAINTENANCE_TOKEN: api.operator });
    const SAMPLE_404 = 'The sample site has no such page.\n';
    let secret = '';

    beforeAll(async () => {
      const res = await post({ add: ['/health', '/api/webhooks/*'] }, api.admin, '/maintenance/exemptions');
      expect(res.status).toBe(200);
    });

    afterAll(async () => {
      await post({ enabled: false }, api.operator);
      await post({ remove: ['/health', '/api/webhooks/*'] }, api.admin, '/maintenance/exemptions');
    });

    it('maintenance on from an address outside the bypass set prints the full link and warns, exit 0', async () => {
      const result = await runCli(['on', '--reason', 'Database upgrade'], { env: cliEnv() });

      expect(result.code).toBe(0);
      const link = new RegExp(
        `^Bypass link: http://127\\.0\\.0\\.1:${edgePort}/__maintenance/bypass/([A-Za-z0-9_-]{43})$`,
        'm',
      ).exec(result.stdout);
      expect(link).not.toBeNull();
      secret = link?.[1] ?? '';
      // serverless-offline reports the TCP peer as the source address: this test's own 127.0.0.1.
      expect(result.stderr).toBe(
        'maintenance: warning: your address 127.0.0.1 is not in the bypass set, so you will get the maintenance page too; to see the site, open the bypass link above, or run (admin): maintenance bypass add 127.0.0.1\n',
      );
    });

    it('lets the health check and the webhooks reach the origin while their neighbours get the page', async () => {
      expect(await visit(edge(), '/health')).toMatchObject({ status: 200, body: 'ok\n' });
      expect(await visit(edge(), '/api/webhooks/stripe', { method: 'POST', body: '{}' })).toMatchObject({
        status: 404,
        body: SAMPLE_404,
      });
      for (const neighbour of ['/health/deep', '/healthz', '/api/webhooks', '/api/webhook/x', '/']) {
        const answer = await visit(edge(), neighbour);
        expect({ neighbour, status: answer.status }).toEqual({ neighbour, status: 503 });
        expect(answer.headers['retry-after']).toBeDefined();
      }
    });

    it("lets the link's holder in with its cookie, and a monitor with the header", async () => {
      const link = await visit(edge(), `/__maintenance/bypass/${secret}`);
      expect(link.status).toBe(302);
      expect(link.headers.location).toBe('/');
      const [cookie] = String(link.headers['set-cookie']).split(';');
      expect(cookie).toBe(`maintenance_bypass=${secret}`);

      const browsing = await visit(edge(), '/', { from: '127.0.0.3', headers: { cookie: `${cookie}` } });
      expect(browsing.status).toBe(200);
      expect(browsing.body).toContain('The sample site');
      const monitor = await visit(edge(), '/', {
        from: '127.0.0.4',
        headers: { 'x-maintenance-bypass': secret },
      });
      expect(monitor.status).toBe(200);
      expect((await visit(edge(), '/', { from: '127.0.0.5' })).status).toBe(503);
    });

    it('lets the old secret through nothing at the next window, which has its own', async () => {
      expect((await post({ enabled: false }, api.operator)).status).toBe(200);
      const next = await post({ enabled: true }, api.operator);
      const { bypassLink } = (await next.json()) as { bypassLink: string };
      expect(bypassLink).not.toBe(`/__maintenance/bypass/${secret}`);

      const withCookie = await visit(edge(), '/', { headers: { cookie: `maintenance_bypass=${secret}` } });
      const withHeader = await visit(edge(), '/', { headers: { 'x-maintenance-bypass': secret } });
      const oldLink = await visit(edge(), `/__maintenance/bypass/${secret}`);

      expect([withCookie.status, withHeader.status, oldLink.status]).toEqual([503, 503, 503]);
      expect(oldLink.headers['set-cookie']).toBeUndefined();
      expect((await visit(edge(), bypassLink)).status).toBe(302);
    });
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await fetch(`${api.apiUrl}/no-such-route`, {
      headers: { authorization: `Bearer ${api.admin}` },
      signal: AbortSignal.timeout(30_000),
    });

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 404 });
  });

  it('announced every change in the history to the webhook, once each', async () => {
    const res = await fetch(`${api.apiUrl}/maintenance/history?limit=100`, {
      headers: { authorization: `Bearer ${api.operator}` },
      signal: AbortSignal.timeout(30_000),
    });
    const { entries } = (await res.json()) as { entries: Array<{ action: string; actor: string }> };
    expect(entries.length).toBeGreaterThanOrEqual(8);
    // The stream runner polls the emulator's stream: wait (bounded) for the last announcements.
    const deadline = Date.now() + 20_000;
    while (webhook.received.length < entries.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(webhook.received).toHaveLength(entries.length);
    const texts = webhook.received.map((message) => JSON.stringify(message));
    expect(texts.some((t) => t.includes('Database upgrade'))).toBe(true);
    expect(texts.some((t) => t.includes('198.51.100.0/24'))).toBe(true);
    expect(texts.some((t) => t.includes('203.0.113.9/32') && t.includes('U0LOCAL01'))).toBe(true);
    expect(texts.some((t) => t.includes('/api/webhooks/*'))).toBe(true);
  });

  it('stops everything it started on SIGTERM and exits 0', async () => {
    const child = started?.child as ChildProcess;
    expect(await accepts(motoPort)).toBe(true);

    child.kill('SIGTERM');
    const exit = await withTimeout(started?.exit as Started['exit'], STOP_TIMEOUT_MS, 'stopping npm start');

    expect(exit).toEqual({ code: 0, signal: null });
    expect(await accepts(motoPort)).toBe(false);
    expect(await accepts(Number(new URL(api.apiUrl).port))).toBe(false);
    expect(await accepts(edgePort)).toBe(false);
  });
});

describe('npm start restarted against the same emulator', () => {
  const runs: Started[] = [];

  afterAll(() => {
    for (const run of runs) killGroup(run.child);
  });

  async function startAgainst(emulatorUrl: string) {
    const ports = { PORT: String(await freePort()), EDGE_PORT: String(await freePort()) };
    const env = { ...scriptEnv(ports), AWS_ENDPOINT_URL: emulatorUrl };
    const run = startScript(env, ['--stage', 'restarted']);
    runs.push(run);
    return { run, api: await waitForBanner(run) };
  }

  async function stop(run: Started) {
    run.child.kill('SIGTERM');
    expect(await withTimeout(run.exit, STOP_TIMEOUT_MS, 'stopping npm start')).toEqual({
      code: 0,
      signal: null,
    });
  }

  const call = (url: string, token: string, body?: unknown) =>
    fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    }).then((res) => res.json());

  it(
    'keeps maintenance on, with its reason, Retry-After and bypass addresses',
    async () => {
      // The integration project's own moto (AWS_ENDPOINT_URL of the worker), standing in for a long-lived emulator.
      const emulator = process.env.AWS_ENDPOINT_URL as string;
      const first = await startAgainst(emulator);
      await call(`${first.api.apiUrl}/maintenance`, first.api.operator, {
        enabled: true,
        reason: 'Kept across restarts',
        retryAfterSeconds: 900,
      });
      await call(`${first.api.apiUrl}/maintenance/bypass`, first.api.admin, { add: ['203.0.113.9'] });
      await stop(first.run);

      const second = await startAgainst(emulator);
      expect(await call(`${second.api.apiUrl}/maintenance`, second.api.operator)).toMatchObject({
        enabled: true,
        reason: 'Kept across restarts',
        retryAfterSeconds: 900,
      });
      expect(await call(`${second.api.apiUrl}/maintenance/bypass`, second.api.operator)).toMatchObject({
        addresses: [{ cidr: '203.0.113.9/32', version: 4 }],
      });
      await stop(second.run);
    },
    2 * READY_TIMEOUT_MS + 2 * STOP_TIMEOUT_MS,
  );
});

describe('npm start without moto server installed', () => {
  let bin: string;

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'no-moto-'));
    symlinkSync(process.execPath, join(bin, 'node'));
  });

  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('exits non-zero and says how to install it', async () => {
    const started = startScript(
      scriptEnv({ PATH: bin, MOTO_PORT: String(await freePort()), EDGE_PORT: String(await freePort()) }),
    );

    const exit = await withTimeout(started.exit, 30_000, 'npm start without moto').finally(() =>
      killGroup(started.child),
    );

    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(started.output().stderr).toContain('pip install "moto[server]"');
  });
});
