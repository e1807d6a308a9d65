import { randomUUID } from 'node:crypto';
import {
  GetRuleGroupCommand,
  type RuleAction,
  UpdateRuleGroupCommand,
  type UpdateRuleGroupCommandInput,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ProvisionedStack } from '../scripts/local/provision';
import { createClients } from '../src/adapters/aws/clients';
import { parseRuleGroupArn, type RuleGroupRef } from '../src/adapters/aws/waf-arn';
import { handlerEnv } from '../test/support/stack';
import type { LatencyProxy, ProxiedCall } from './latency-proxy';
import { msSince, type Summary, summarize } from './stats';

/**
 * What the switch costs on top of the two WAF calls it cannot avoid. Side by side, interleaved:
 *  A. the real POST /maintenance handler (middy, bearer auth against DynamoDB, zod, the use case, the
 *     change record, GetRuleGroup + UpdateRuleGroup), invoked in-process with an HTTP API v2 event;
 *  B. the bare minimum: GetRuleGroup then UpdateRuleGroup with the SDK, flipping the same rules on a twin stack.
 * Both talk to moto through the latency proxy, so WAF costs what it costs in AWS (~100 ms a call).
 * Every call is a real change (alternating on/off); warm containers only: cold start is bundle-size.ts.
 */

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ToggleSide {
  wall: Summary;
  /** Time the proxy saw for the side's calls (moto plus the added delay), per toggle. */
  inAws: Summary;
  /** wall - inAws per toggle: SDK (de)serialisation and signing, middy, zod, the use case, loopback. */
  outsideAws: Summary;
}

export interface ToggleResult {
  n: number;
  handler: ToggleSide;
  bare: ToggleSide;
  ratio: number;
  /** Median per-operation time the proxy saw during the handler's measured toggles. */
  perOperationMs: Record<string, number>;
}

export interface CallCounts {
  enable: Record<string, number>;
  disable: Record<string, number>;
  noop: Record<string, number>;
  /** A well-formed token nobody issued: the lookup, and no WAF call (nobody may spend the WAF quota). */
  refused: Record<string, number>;
}

/** A realistic HTTP API (payload 2.0) event for POST /maintenance, as API Gateway hands it to Lambda. */
export function setMaintenanceEvent(token: string, enabled: boolean): APIGatewayProxyEventV2 {
  return apiEvent('POST', '/maintenance', token, { enabled });
}

/** A realistic HTTP API (payload 2.0) JSON event, as API Gateway hands it to Lambda. */
export function apiEvent(
  method: string,
  path: string,
  token: string,
  json?: unknown,
): APIGatewayProxyEventV2 {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {
      accept: '*/*',
      authorization: `Bearer ${token}`,
      'content-length': String(Buffer.byteLength(body ?? '')),
      'content-type': 'application/json',
      host: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'curl/8.5.0',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'waf-maintenance-bench-setMaintenance',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-bench-setMaintenance',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/waf-maintenance-bench-setMaintenance',
    logStreamName: '2025/01/01/[$LATEST]bench',
    getRemainingTimeInMillis: () => 28_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const BLOCK: RuleAction = {
  Block: {
    CustomResponse: {
      ResponseCode: 503,
      CustomResponseBodyKey: 'maintenance-html',
      ResponseHeaders: [
        { Name: 'Retry-After', Value: '300' },
        { Name: 'Cache-Control', Value: 'no-store' },
      ],
    },
  },
};

/** B: the two calls any switch must make, and nothing else: the group restated with the maintenance rules flipped. */
async function barePair(waf: WAFV2Client, ref: RuleGroupRef, enabled: boolean): Promise<void> {
  const out = await waf.send(new GetRuleGroupCommand({ Name: ref.name, Scope: ref.scope, Id: ref.id }));
  if (!out.RuleGroup || !out.LockToken) throw new Error('GetRuleGroup returned no rule group');
  const { Description, VisibilityConfig, CustomResponseBodies, Rules = [] } = out.RuleGroup;
  const input: UpdateRuleGroupCommandInput = {
    Name: ref.name,
    Scope: ref.scope,
    Id: ref.id,
    LockToken: out.LockToken,
    Description,
    VisibilityConfig,
    CustomResponseBodies,
    Rules: Rules.map((rule) =>
      rule.Name === 'maintenance-block' || rule.Name === 'maintenance-json'
        ? { ...rule, Action: enabled ? BLOCK : { Count: {} } }
        : rule,
    ),
  };
  await waf.send(new UpdateRuleGroupCommand(input));
}

/** Calls the proxy logged while `fn` ran (after letting their `finish` events land). */
async function observed(
  proxy: LatencyProxy,
  fn: () => Promise<void>,
): Promise<{ ms: number; calls: ProxiedCall[] }> {
  proxy.reset();
  const start = process.hrtime.bigint();
  await fn();
  const ms = msSince(start);
  await new Promise((resolve) => setImmediate(resolve));
  return { ms, calls: proxy.calls() };
}

/** How long at least one AWS call was in flight: calls that overlap (the group write and the record) count once. */
function timeInAws(calls: ProxiedCall[]): number {
  const spans = calls.map((c) => [c.arrivedAt, c.arrivedAt + c.ms] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    total += Math.max(0, to - Math.max(from, end));
    end = Math.max(end, to);
  }
  return total;
}

function side(samples: Array<{ ms: number; calls: ProxiedCall[] }>): ToggleSide {
  const inAws = samples.map((s) => timeInAws(s.calls));
  return {
    wall: summarize(samples.map((s) => s.ms)),
    inAws: summarize(inAws),
    outsideAws: summarize(samples.map((s, i) => s.ms - (inAws[i] as number))),
  };
}

export interface ToggleBenchInput {
  proxy: LatencyProxy;
  /** The handler's stack and the bare pair's twin stack. */
  handlerStack: ProvisionedStack;
  bareStack: { ruleGroupArn: string };
  /** An operator token already in the handler stack's table. */
  token: string;
  n?: number;
  warmup?: number;
}

/**
 * Runs A and B interleaved (A, B, A, B, ...) after a warm-up of each, then counts the AWS calls of single
 * warm toggles (enable, disable, and a no-op). process.env must already point AWS_ENDPOINT_URL at the
 * proxy: the handler's clients, like the Lambda's, take the endpoint from the environment.
 */
export async function runToggleBench(
  input: ToggleBenchInput,
): Promise<{ timing: ToggleResult; counts: CallCounts }> {
  const { proxy, handlerStack, token, n = 25, warmup = 3 } = input;
  const env = { ...process.env, ...handlerEnv(handlerStack) };
  // The handler module builds its own deps at import; give it a valid environment first.
  Object.assign(process.env, env);
  const { createHandler } = await import('../handlers/set-maintenance');
  const { awsDeps } = await import('../handlers/lib/aws-deps');
  const { windowDeps } = await import('../handlers/lib/window-deps');
  const handler: Handler = createHandler({ ...awsDeps(env), ...windowDeps(env) });

  let handlerOn = false;
  const toggleHandler = async (enabled = !handlerOn) => {
    const res = await handler(setMaintenanceEvent(token, enabled), lambdaContext());
    if (res.statusCode !== 200) throw new Error(`handler answered ${res.statusCode}: ${res.body}`);
    const body = JSON.parse(res.body ?? '{}') as { enabled?: boolean; changed?: boolean };
    if (body.enabled !== enabled) throw new Error(`handler left enabled=${body.enabled}, wanted ${enabled}`);
    const expectChange = enabled !== handlerOn;
    if (body.changed !== expectChange) throw new Error(`handler said changed=${body.changed}`);
    handlerOn = enabled;
  };

  const waf = createClients('us-east-1').waf;
  const ref = parseRuleGroupArn(input.bareStack.ruleGroupArn);
  let bareOn = false;
  const toggleBare = async () => {
    await barePair(waf, ref, !bareOn);
    bareOn = !bareOn;
  };

  try {
    for (let i = 0; i < warmup; i++) {
      await toggleHandler();
      await toggleBare();
    }
    const a: Array<{ ms: number; calls: ProxiedCall[] }> = [];
    const b: Array<{ ms: number; calls: ProxiedCall[] }> = [];
    for (let i = 0; i < n; i++) {
      a.push(await observed(proxy, () => toggleHandler()));
      b.push(await observed(proxy, toggleBare));
    }

    const perOperation = new Map<string, number[]>();
    for (const call of a.flatMap((s) => s.calls)) {
      perOperation.set(call.operation, [...(perOperation.get(call.operation) ?? []), call.ms]);
    }
    const handlerSide = side(a);
    const bareSide = side(b);
    const timing: ToggleResult = {
      n,
      handler: handlerSide,
      bare: bareSide,
      ratio: handlerSide.wall.median / bareSide.wall.median,
      perOperationMs: Object.fromEntries([...perOperation].map(([op, ms]) => [op, summarize(ms).median])),
    };

    // Single warm toggles, counted from a fresh proxy log each.
    const countOf = async (enabled: boolean) => {
      proxy.reset();
      await toggleHandler(enabled);
      return proxy.counts();
    };
    const enable = await countOf(true);
    const noop = await countOf(true);
    const disable = await countOf(false);
    proxy.reset();
    const stranger = await handler(setMaintenanceEvent(`wmt_${'x'.repeat(43)}`, true), lambdaContext());
    if (stranger.statusCode !== 401) throw new Error(`an unknown token got ${stranger.statusCode}`);
    const refused = proxy.counts();
    return { timing, counts: { enable, disable, noop, refused } };
  } finally {
    waf.destroy();
  }
}
