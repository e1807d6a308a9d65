import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DynamoDbSlackGrants } from '../src/adapters/aws/dynamodb-slack-grants';
import type { SlackJob } from '../src/ports/slack-worker';
// The same signed payloads the tests send: one definition of what Slack sends.
import { slackSignature, slashCommandBody } from '../test/support/slack';
import { DEFAULT_DELAYS, type LatencyProxy, startLatencyProxy } from './latency-proxy';
import { msSince, percentile } from './stats';
import { apiEvent, lambdaContext } from './toggle';

/**
 * "How long until Slack gets its acknowledgement?", cold and warm, through the real POST /slack/command
 * handler with correctly signed slash-command events from a user granted `operator`:
 *  - the signing secret is a SecureString in moto's SSM, under the name the packaged function is configured
 *    with, and the grant is an item in moto's DynamoDB table; both behind the latency proxy;
 *  - the worker's Lambda is a tiny local HTTP server answering 202 to the async Invoke and keeping the jobs,
 *    behind a second latency proxy that AWS_ENDPOINT_URL_LAMBDA points at;
 *  - warm: one process, the handler built once, `warm` invocations after `warmup` unrecorded ones;
 *  - cold: the packaged slackCommand bundle in a fresh node process per sample, timed from the parent,
 *    from just before spawn() to the moment the child reports the handler's answer (node's own start-up,
 *    module load, config, the first GetParameter + GetItem + Invoke on new connections). Bare `node -e 0`
 *    spawn-to-exit is timed the same way, interleaved, as the part no bundle can save.
 * It throws unless every invocation answered 200 with the "working" reply and enqueued exactly one job.
 */

export const SLACK_DEADLINE_MS = 3_000;
const USER_ID = 'U0BENCH';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T0001/1234567890/bEnChReSpOnSeUrL';
const WORKING_TEXT = 'Turning maintenance on';
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations$/;

export interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  min: number;
}

export interface SlackBenchResult {
  /** Added per call by the latency proxies, by operation. */
  delaysMs: Record<string, number>;
  deadlineMs: number;
  warm: {
    warmup: number;
    ack: Latency;
    /** Per acknowledgement: wall minus the time the proxies saw (signature, parsing, middy, SDK, loopback). */
    outsideAws: Latency;
    /** AWS calls over all measured warm acknowledgements, by operation. */
    calls: Record<string, number>;
  };
  cold: {
    method: string;
    /** From spawn() to the child's report of the handler's answer, measured in the parent. */
    spawnToAnswer: Latency;
    /** From spawn() to the exit of `node -e 0`, measured the same way, interleaved. */
    bareNode: Latency;
    /** Inside the child: performance.now() at the first line (node start-up), require(), first invocation. */
    inChild: { startup: Latency; load: Latency; firstInvocation: Latency };
    /** AWS calls over all measured cold samples, by operation. */
    calls: Record<string, number>;
  };
  jobsEnqueued: number;
  invocations: number;
}

/** Nearest-rank percentiles: with fewer than 100 samples, p99 is the maximum. */
function latency(samples: readonly number[]): Latency {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: samples.length ? Math.max(...samples) : Number.NaN,
    min: samples.length ? Math.min(...samples) : Number.NaN,
  };
}

/** The function's environment as `serverless package` resolved it (provider-wide plus its own). */
export function configuredEnv(packageDir: string, functionName: string): Record<string, string> {
  const state = JSON.parse(readFileSync(join(packageDir, 'serverless-state.json'), 'utf8')) as {
    service: {
      provider: { environment?: Record<string, unknown> };
      functions: Record<string, { environment?: Record<string, unknown> }>;
    };
  };
  const merged = {
    ...state.service.provider.environment,
    ...state.service.functions[functionName]?.environment,
  };
  // Only what resolved to text: !GetAtt values (the WAF ARNs) are objects until deployed, and unused here.
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** An HTTP API event for POST /slack/command, signed now with `secret` (scheme v0). */
export function signedSlackEvent(secret: string, text = 'on 30m Database upgrade'): APIGatewayProxyEventV2 {
  // A fresh trigger_id per event: the same body signed in the same second would be refused as a replay.
  const body = slashCommandBody({
    text,
    user_id: USER_ID,
    user_name: 'bench',
    response_url: RESPONSE_URL,
    trigger_id: randomUUID(),
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = slackSignature(secret, timestamp, body);
  const base = apiEvent('POST', '/slack/command', '');
  return {
    ...base,
    headers: {
      accept: 'application/json,*/*',
      'accept-encoding': 'gzip,deflate',
      'content-length': String(Buffer.byteLength(body)),
      'content-type': 'application/x-www-form-urlencoded',
      host: base.requestContext.domainName,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-amzn-trace-id': base.headers['x-amzn-trace-id'] ?? '',
      'x-forwarded-for': '3.220.0.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    requestContext: {
      ...base.requestContext,
      http: {
        ...base.requestContext.http,
        sourceIp: '3.220.0.10',
        userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
    },
    body,
    isBase64Encoded: false,
  };
}

/** Throws unless the answer is the 200 "working" reply that an `on` command from an operator gets. */
function checkAnswer(result: APIGatewayProxyStructuredResultV2, where: string): void {
  const text = result.statusCode === 200 ? (JSON.parse(result.body ?? '{}') as { text?: string }).text : '';
  if (result.statusCode !== 200 || !text?.includes(WORKING_TEXT)) {
    throw new Error(
      `slack bench (${where}): answered ${result.statusCode} ${String(result.body).slice(0, 300)}`,
    );
  }
}

interface FakeLambda {
  url: string;
  jobs: SlackJob[];
  refused: number;
  stop(): Promise<void>;
}

/** Answers 202 to an async Invoke of `functionName` and keeps the job; anything else is a 404. */
async function startFakeLambda(functionName: string): Promise<FakeLambda> {
  const fake = { jobs: [] as SlackJob[], refused: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const name = INVOKE_PATH.exec(req.url ?? '')?.[1];
      const async = req.headers['x-amz-invocation-type'] === 'Event';
      if (req.method === 'POST' && name && decodeURIComponent(name) === functionName && async) {
        fake.jobs.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackJob);
        res.writeHead(202, { 'x-amzn-requestid': randomUUID(), 'content-length': '0' });
        res.end();
        return;
      }
      fake.refused++;
      const body = JSON.stringify({ Type: 'User', Message: `Function not found: ${name ?? req.url}` });
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get jobs() {
      return fake.jobs;
    },
    get refused() {
      return fake.refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function addCounts(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [op, n] of Object.entries(counts)) into[op] = (into[op] ?? 0) + n;
}

/** Waits a turn so the proxies' `finish` events (which set each call's time) have landed. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The child: the Lambda runtime's part reduced to require + one invocation. It reports its own split
 * (performance.now() counts from the process's time origin) and exits at once, like a frozen sandbox.
 */
const COLD_CHILD = `
const startup = performance.now();
const { handler } = require(process.argv[1]);
const loaded = performance.now();
const event = JSON.parse(process.argv[2]);
const context = {
  functionName: 'waf-maintenance-bench-slackCommand', awsRequestId: 'cold', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000,
};
handler(event, context).then(
  (result) => {
    const answered = performance.now();
    const report = { startup, load: loaded - startup, firstInvocation: answered - loaded, result };
    process.stdout.write(JSON.stringify(report) + '\\n', () => process.exit(0));
  },
  (error) => { console.error(error); process.exit(1); },
);
`;

interface ChildReport {
  startup: number;
  load: number;
  firstInvocation: number;
  result: APIGatewayProxyStructuredResultV2;
}

/** Spawns node with `args` and resolves with the time from spawn() to its first stdout line (or exit). */
function timedSpawn(
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<{ ms: number; line: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
      ...(signal ? { signal } : {}),
    });
    let out = '';
    let err = '';
    let ms: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (ms === undefined && out.includes('\n')) ms = msSince(start);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const elapsed = ms ?? msSince(start);
      if (code !== 0) return reject(new Error(`node ${args[0]} ... exited ${code}: ${err.slice(-2000)}`));
      resolve({ ms: elapsed, line: out.split('\n')[0] ?? '' });
    });
  });
}

export interface SlackBenchInput {
  /** moto, for the set-up writes (not timed). */
  motoUrl: string;
  /** The latency proxy in front of moto: SSM and DynamoDB go through it. */
  proxy: LatencyProxy;
  /** `serverless package` output (serverless-state.json) and the unzipped slackCommand handler module. */
  packageDir: string;
  bundleFile: string;
  warm?: number;
  warmup?: number;
  cold?: number;
  signal?: AbortSignal;
}

/**
 * Sets up the secret, the grant and the fake worker, then runs the warm and cold measurements.
 * Leaves process.env's endpoint variables as it found them.
 */
export async function runSlackBench(input: SlackBenchInput): Promise<SlackBenchResult> {
  const { proxy, warm = 200, warmup = 5, cold = 25 } = input;
  const config = configuredEnv(input.packageDir, 'slackCommand');
  const { TABLE_NAME, SLACK_SIGNING_SECRET_PARAMETER, SLACK_WORKER_FUNCTION } = config;
  if (!TABLE_NAME || !SLACK_SIGNING_SECRET_PARAMETER || !SLACK_WORKER_FUNCTION) {
    throw new Error(
      `slack bench: the packaged slackCommand lacks its configuration: ${JSON.stringify(config)}`,
    );
  }

  // Set-up straight to moto; nothing here is timed.
  const secret = randomBytes(16).toString('hex');
  const direct = { region: 'us-east-1', endpoint: input.motoUrl };
  const ssm = new SSMClient(direct);
  const dynamodb = new DynamoDBClient(direct);
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: SLACK_SIGNING_SECRET_PARAMETER,
        Value: secret,
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    await new DynamoDbSlackGrants(dynamodb, TABLE_NAME).grant({
      userId: USER_ID,
      role: 'operator',
      grantedAt: new Date().toISOString(),
    });
  } finally {
    ssm.destroy();
    dynamodb.destroy();
  }

  const fakeLambda = await startFakeLambda(SLACK_WORKER_FUNCTION);
  let lambdaProxy: LatencyProxy | undefined;
  const saved = { url: process.env.AWS_ENDPOINT_URL, lambda: process.env.AWS_ENDPOINT_URL_LAMBDA };
  try {
    lambdaProxy = await startLatencyProxy(fakeLambda.url);
    const env: Record<string, string> = {
      ...config,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ENDPOINT_URL_LAMBDA: lambdaProxy.url,
    };
    const proxies = [proxy, lambdaProxy];
    const resetProxies = () => {
      for (const p of proxies) p.reset();
    };
    const proxiedCalls = () => proxies.flatMap((p) => p.calls());
    const proxiedCounts = () => {
      const counts: Record<string, number> = {};
      for (const p of proxies) addCounts(counts, p.counts());
      return counts;
    };

    // Warm: the clients read their endpoints from the environment, as in Lambda.
    Object.assign(process.env, env);
    const { createHandler } = await import('../handlers/slack-command');
    const { slackAckDeps } = await import('../handlers/lib/slack-deps');
    const handler = createHandler(slackAckDeps(env));
    const context = lambdaContext();
    for (let i = 0; i < warmup; i++) checkAnswer(await handler(signedSlackEvent(secret), context), 'warm-up');
    const warmMs: number[] = [];
    const warmOutside: number[] = [];
    const warmCalls: Record<string, number> = {};
    for (let i = 0; i < warm; i++) {
      const event = signedSlackEvent(secret);
      resetProxies();
      const start = process.hrtime.bigint();
      const result = await handler(event, context);
      const ms = msSince(start);
      checkAnswer(result, `warm #${i}`);
      await settle();
      warmMs.push(ms);
      warmOutside.push(ms - proxiedCalls().reduce((sum, c) => sum + c.ms, 0));
      addCounts(warmCalls, proxiedCounts());
    }

    // Cold: a fresh process per sample, with only what Lambda would give it (plus PATH).
    const childEnv = { PATH: process.env.PATH ?? '', ...env };
    const coldMs: number[] = [];
    const bareMs: number[] = [];
    const split = { startup: [] as number[], load: [] as number[], firstInvocation: [] as number[] };
    const coldCalls: Record<string, number> = {};
    // One unrecorded round first: page cache, the node binary itself.
    for (let i = -1; i < cold; i++) {
      const bare = await timedSpawn(['-e', '0'], childEnv, input.signal);
      const event = JSON.stringify(signedSlackEvent(secret));
      resetProxies();
      const sample = await timedSpawn(['-e', COLD_CHILD, input.bundleFile, event], childEnv, input.signal);
      const report = JSON.parse(sample.line) as ChildReport;
      checkAnswer(report.result, `cold #${i}`);
      await settle();
      if (i < 0) continue;
      coldMs.push(sample.ms);
      bareMs.push(bare.ms);
      split.startup.push(report.startup);
      split.load.push(report.load);
      split.firstInvocation.push(report.firstInvocation);
      addCounts(coldCalls, proxiedCounts());
    }

    const invocations = warmup + warm + cold + 1;
    const wrong = fakeLambda.jobs.filter(
      (job) =>
        job.userId !== USER_ID ||
        job.responseUrl !== RESPONSE_URL ||
        job.command.kind !== 'on' ||
        job.command.retryAfterSeconds !== 1800 ||
        job.command.reason !== 'Database upgrade',
    );
    if (fakeLambda.jobs.length !== invocations || wrong.length > 0 || fakeLambda.refused > 0) {
      throw new Error(
        `slack bench: ${invocations} invocations enqueued ${fakeLambda.jobs.length} jobs ` +
          `(${wrong.length} not as sent, ${fakeLambda.refused} invokes refused); first wrong: ${JSON.stringify(wrong[0])}`,
      );
    }

    return {
      delaysMs: {
        'SSM GetParameter': DEFAULT_DELAYS.AmazonSSM ?? 0,
        'DynamoDB GetItem': DEFAULT_DELAYS.DynamoDB_20120810 ?? 0,
        'Lambda Invoke': DEFAULT_DELAYS.Lambda ?? 0,
      },
      deadlineMs: SLACK_DEADLINE_MS,
      warm: { warmup, ack: latency(warmMs), outsideAws: latency(warmOutside), calls: warmCalls },
      cold: {
        method:
          'parent-side: process.hrtime from just before spawn() to the child reporting the answer on stdout',
        spawnToAnswer: latency(coldMs),
        bareNode: latency(bareMs),
        inChild: {
          startup: latency(split.startup),
          load: latency(split.load),
          firstInvocation: latency(split.firstInvocation),
        },
        calls: coldCalls,
      },
      jobsEnqueued: fakeLambda.jobs.length,
      invocations,
    };
  } finally {
    for (const [key, value] of [
      ['AWS_ENDPOINT_URL', saved.url],
      ['AWS_ENDPOINT_URL_LAMBDA', saved.lambda],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await lambdaProxy?.stop();
    await fakeLambda.stop();
  }
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const tail = (l: Latency) => `p50 ${fmt(l.p50)}, p90 ${fmt(l.p90)}, p99 ${fmt(l.p99)}, max ${fmt(l.max)}`;
const perCall = (counts: Record<string, number>, n: number) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, total]) => `${op}=${Number.isInteger(total / n) ? total / n : (total / n).toFixed(2)}`)
    .join(' ');

/** The bench table's rows for the Slack acknowledgement (same shape as run.ts's rows). */
export function slackRows(result: SlackBenchResult) {
  const deadline = `p99 < ${result.deadlineMs} ms (Slack)`;
  const { warm, cold } = result;
  const expectCalls = (counts: Record<string, number>, n: number, secretReads: number) =>
    counts.GetItem === n && counts.Invoke === n && (counts.GetParameter ?? 0) === secretReads;
  return [
    {
      figure: `slack ack warm (${warm.ack.n} in-process)`,
      value: tail(warm.ack),
      target: deadline,
      met: warm.ack.p99 < result.deadlineMs,
    },
    {
      figure: `slack ack cold (${cold.spawnToAnswer.n} fresh node)`,
      value: tail(cold.spawnToAnswer),
      target: deadline,
      met: cold.spawnToAnswer.p99 < result.deadlineMs,
    },
    {
      figure: '  of which bare node start',
      value: tail(cold.bareNode),
      target: '',
      met: null,
    },
    {
      figure: 'slack calls per warm ack',
      value: perCall(warm.calls, warm.ack.n),
      target: '1 GetItem, 1 Invoke, no GetParameter',
      met: expectCalls(warm.calls, warm.ack.n, 0),
    },
    {
      figure: 'slack calls per cold ack',
      value: perCall(cold.calls, cold.spawnToAnswer.n),
      target: '1 GetParameter, 1 GetItem, 1 Invoke',
      met: expectCalls(cold.calls, cold.spawnToAnswer.n, cold.spawnToAnswer.n),
    },
    {
      figure: 'slack jobs enqueued',
      value: `${result.jobsEnqueued} for ${result.invocations} commands`,
      target: 'one per command',
      met: result.jobsEnqueued === result.invocations,
    },
  ];
}

/** Lines for the bench's detail section. */
export function slackDetail(result: SlackBenchResult): string[] {
  const { warm, cold } = result;
  const delays = Object.entries(result.delaysMs)
    .map(([what, ms]) => `${what} ${ms} ms`)
    .join(', ');
  const { startup, load, firstInvocation } = cold.inChild;
  return [
    `  slack warm ack: after ${warm.warmup} warm-ups; outside AWS (wall - proxy time) ${tail(warm.outsideAws)}`,
    `  slack cold ack: ${cold.method}; nearest-rank p99 of ${cold.spawnToAnswer.n} samples is their maximum`,
    `    inside the child, p50/p99: node start ${fmt(startup.p50)}/${fmt(startup.p99)}, ` +
      `require(bundle) ${fmt(load.p50)}/${fmt(load.p99)}, ` +
      `first invocation ${fmt(firstInvocation.p50)}/${fmt(firstInvocation.p99)}`,
    `  slack added latency per call: ${delays}; the worker Lambda is a local fake answering 202`,
  ];
}
