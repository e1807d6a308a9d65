import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  GetWebACLCommand,
  ListIPSetsCommand,
  ListWebACLsCommand,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { freePort } from '../../scripts/local/moto';
import { ROOT } from '../../scripts/local/stack-definition';
import { DynamoDbSlackGrants } from '../../src/adapters/aws/dynamodb-slack-grants';
import { runCli } from '../support/cli';
import { accepts, captured, withTimeout } from '../support/local-stack';

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const STAGE = 'localtest';
const SLACK_SECRET = 'local-stack-test-signing-secret';

interface Started {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` as the package script runs it (tsx), in its own process group so afterAll can end all of it. */
function startScript(env: NodeJS.ProcessEnv, args: string[] = []): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ...captured(child) };
}

/** Waits (bounded) until the banner is printed, failing early, with the script's output, if it exits. */
async function waitForBanner(started: Started): Promise<{ apiUrl: string; admin: string; operator: string }> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { stdout, stderr } = started.output();
    const apiUrl = /^\s+API\s+(http:\/\/\S+)$/m.exec(stdout)?.[1];
    const admin = /^\s+Admin token\s+(wmt_\S+)$/m.exec(stdout)?.[1];
    const operator = /^\s+Operator token\s+(wmt_\S+)$/m.exec(stdout)?.[1];
    if (apiUrl && admin && operator) return { apiUrl, admin, operator };
    if (started.child.exitCode !== null) {
      throw new Error(`npm start exited with ${started.child.exitCode}:\n${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const { stdout, stderr } = started.output();
  throw new Error(`npm start printed no banner within ${READY_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`);
}

/** Whatever happened, nothing of the script's process group (moto, serverless-offline) outlives the test. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // the group is gone already: the script stopped all it started
  }
}

/** A copy of this worker's environment that makes the script start its own moto on `motoPort`. */
function scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.AWS_ENDPOINT_URL;
  delete env.MAINTENANCE_STAGE;
  return env;
}

describe('npm start (the local stack)', () => {
  let started: Started | undefined;
  let motoPort: number;
  let api: { apiUrl: string; admin: string; operator: string };
  let waf: WAFV2Client;

  async function webAcl(): Promise<{ acl: WebACL; lockToken: string | undefined }> {
    const list = await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
    const summary = list.WebACLs?.find((a) => a.Name === `waf-maintenance-${STAGE}`);
    const out = await waf.send(
      new GetWebACLCommand({ Scope: 'CLOUDFRONT', Name: summary?.Name, Id: summary?.Id }),
    );
    return { acl: out.WebACL as WebACL, lockToken: out.LockToken };
  }

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

  beforeAll(async () => {
    motoPort = await freePort();
    const httpPort = await freePort();
    started = startScript(
      scriptEnv({ PORT: String(httpPort), MOTO_PORT: String(motoPort), SLACK_SIGNING_SECRET: SLACK_SECRET }),
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
    if (!started) return;
    const { child, exit } = started;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await withTimeout(exit, STOP_TIMEOUT_MS, 'stopping npm start').catch(() => undefined);
    }
    killGroup(child);
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

  it('provisions the distribution with the web ACL attached, and the page in the site bucket', async () => {
    const emulator = {
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${motoPort}`,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const { stdout } = started?.output() ?? { stdout: '' };
    const distributionId = /^\s+Distribution\s+(\S+)/m.exec(stdout)?.[1];
    const pageUrl = /^\s+Page\s+(http\S+)$/m.exec(stdout)?.[1];
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

    // The local stand-in for https://<distribution>/maintenance/index.html, which GET /maintenance checks.
    expect(pageUrl).toBe(`http://127.0.0.1:${motoPort}/${bucket}/maintenance/index.html`);
    const page = await fetch(pageUrl as string, { signal: AbortSignal.timeout(10_000) });
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
          /The web ACL is not attached to distribution \S+ \(it carries no web ACL\)/,
        );
      } finally {
        await attach(arn);
      }
      expect((await doctor()).code).toBe(0);
    });
  });

  it('refuses a POST without a token with 401 and leaves the web ACL as it was', async () => {
    const before = await webAcl();

    const res = await post({ enabled: true });

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 401 });
    expect(await webAcl()).toEqual(before);
  });

  it('turns maintenance on: the rule blocks with a 503 and Retry-After in the emulator', async () => {
    const res = await post(
      { enabled: true, retryAfterSeconds: 1800, reason: 'Database upgrade' },
      api.operator,
    );

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, action: 'BLOCK', changed: true });
    const rule = (await webAcl()).acl.Rules?.find((r) => r.Name === 'maintenance-block');
    expect(rule?.Action?.Block?.CustomResponse?.ResponseCode).toBe(503);
    expect(rule?.Action?.Block?.CustomResponse?.ResponseHeaders).toContainEqual({
      Name: 'Retry-After',
      Value: '1800',
    });
  });

  it('turns maintenance off: the rule counts again', async () => {
    const res = await post({ enabled: false }, api.operator);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, changed: true });
    const rule = (await webAcl()).acl.Rules?.find((r) => r.Name === 'maintenance-block');
    expect(rule?.Action).toEqual({ Count: {} });
  });

  it('lets the admin token add a bypass address, canonical, into the emulator IP set; not the operator', async () => {
    const refused = await post({ add: ['198.51.100.7/24'] }, api.operator, '/maintenance/bypass');
    expect(refused.status).toBe(403);

    const res = await post({ add: ['198.51.100.7/24'] }, api.admin, '/maintenance/bypass');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ added: ['198.51.100.0/24'], count: 1 });
    const sets = await waf.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
    const v4 = sets.IPSets?.find((s) => s.Name === `waf-maintenance-${STAGE}-bypass-ipv4`);
    const stored = await waf.send(new GetIPSetCommand({ Scope: 'CLOUDFRONT', Name: v4?.Name, Id: v4?.Id }));
    expect(stored.IPSet?.Addresses).toEqual(['198.51.100.0/24']);
  });

  describe('Slack', () => {
    const slack = { received: [] as Array<Record<string, unknown>>, server: createServer() };
    let responseUrl = '';

    beforeAll(async () => {
      // A stand-in for Slack's response_url endpoint, on 127.0.0.1 (the local stack admits that origin).
      slack.server.on('request', (req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          slack.received.push(JSON.parse(body));
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => slack.server.listen(0, '127.0.0.1', resolve));
      responseUrl = `http://127.0.0.1:${(slack.server.address() as AddressInfo).port}/commands/1/2`;
      const dynamodb = new DynamoDBClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${motoPort}`,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await new DynamoDbSlackGrants(dynamodb, `waf-maintenance-${STAGE}`).grant({
        userId: 'U0LOCAL01',
        role: 'operator',
        grantedAt: new Date().toISOString(),
      });
    });

    afterAll(() => new Promise<void>((resolve) => slack.server.close(() => resolve())));

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
      const before = await webAcl();
      const res = await slashCommand('on 30m Forged', 'not-the-secret');
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      expect(await webAcl()).toEqual(before);
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

      const rule = (await webAcl()).acl.Rules?.find((r) => r.Name === 'maintenance-block');
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

  it('stops everything it started on SIGTERM and exits 0', async () => {
    const child = started?.child as ChildProcess;
    expect(await accepts(motoPort)).toBe(true);

    child.kill('SIGTERM');
    const exit = await withTimeout(started?.exit as Started['exit'], STOP_TIMEOUT_MS, 'stopping npm start');

    expect(exit).toEqual({ code: 0, signal: null });
    expect(await accepts(motoPort)).toBe(false);
    expect(await accepts(Number(new URL(api.apiUrl).port))).toBe(false);
  });
});

describe('npm start without moto server installed', () => {
  let bin: string;

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'no-moto-'));
    symlinkSync(process.execPath, join(bin, 'node'));
  });

  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('exits non-zero and says how to install it', async () => {
    const started = startScript(scriptEnv({ PATH: bin, MOTO_PORT: String(await freePort()) }));

    const exit = await withTimeout(started.exit, 30_000, 'npm start without moto').finally(() =>
      killGroup(started.child),
    );

    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(started.output().stderr).toContain('pip install "moto[server]"');
  });
});
