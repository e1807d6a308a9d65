import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { provisionStack } from '../../scripts/local/provision';
import { type RunningSchedulerRunner, startSchedulerRunner } from '../../scripts/local/scheduler-runner';
import { EventBridgeTimers } from '../../src/adapters/aws/eventbridge-timers';
import type { TimerEvent } from '../../src/domain/windows';
import { renamedDefinition, testDefinition } from '../support/stack';

// The local scheduler runner against moto (which stores schedules and never fires them) and a stand-in for
// serverless-offline's Lambda endpoint: the timers the deployed adapter creates fire on their second, into
// the scheduled function, and are gone; what it cannot evaluate never fires. Real seconds: it is the clock.

const FUNCTION = 'waf-maintenance-it-scheduled';
const scheduler = new SchedulerClient({ region: 'us-east-1' });

interface Invocation {
  functionName: string;
  invocationType: string | undefined;
  payload: string;
  receivedAt: number;
}

/**
 * Lambda's Invoke as serverless-offline answers it: 202 for an async call; `failFirst` calls answer 500.
 * `onInvoke` runs before the answer: a function quick enough to act before the runner hears back.
 */
async function startFakeLambda(options: { failFirst?: number; onInvoke?: () => Promise<unknown> } = {}) {
  const invocations: Invocation[] = [];
  let failures = options.failFirst ?? 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '';
      if (failures > 0) {
        failures--;
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' });
        res.end(JSON.stringify({ message: 'local failure' }));
        return;
      }
      invocations.push({
        functionName: decodeURIComponent(name),
        invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
        payload: body,
        receivedAt: Date.now(),
      });
      void (options.onInvoke?.() ?? Promise.resolve()).finally(() => res.writeHead(202).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

const exists = async (group: string, name: string) => {
  try {
    await scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the local scheduler runner against moto', () => {
  let group: string;
  let timers: EventBridgeTimers;
  let lambda: Awaited<ReturnType<typeof startFakeLambda>>;
  let runner: RunningSchedulerRunner | undefined;
  let lines: string[];

  const start = (lambdaUrl = lambda.url) => {
    runner = startSchedulerRunner({
      emulatorUrl: process.env.AWS_ENDPOINT_URL as string,
      group,
      lambdaUrl,
      log: (line) => lines.push(line),
    });
  };
  /** A schedule as the deployed adapter writes it, with overrides. */
  const create = (event: TimerEvent, at: Date, overrides: Partial<CreateScheduleCommandInput> = {}) =>
    scheduler.send(new CreateScheduleCommand({ ...timers.scheduleInput(event, at), ...overrides }));

  beforeEach(async () => {
    group = `waf-maintenance-it${randomBytes(4).toString('hex')}`;
    await scheduler.send(new CreateScheduleGroupCommand({ Name: group }));
    timers = new EventBridgeTimers(scheduler, {
      group,
      functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`,
      roleArn: 'arn:aws:iam::123456789012:role/waf-maintenance-it-scheduler',
    });
    lambda = await startFakeLambda();
    lines = [];
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await lambda.close();
  });

  it('invokes a timer asynchronously with its Input within a second of its moment, then deletes it', async () => {
    start();
    const event = { kind: 'window.start', windowId: 'w1' } as const;
    const at = new Date(Date.now() + 1_000);
    await timers.set(event, at);
    const due = Math.ceil(at.getTime() / 1000) * 1000; // at() holds whole seconds, rounded up

    await until('the timer fired', () => lambda.invocations.length > 0);
    const [fired] = lambda.invocations;
    expect(fired?.functionName).toBe(FUNCTION);
    expect(fired?.invocationType).toBe('Event');
    expect(JSON.parse(fired?.payload ?? '')).toEqual({ event, at: at.toISOString() });
    expect(fired?.receivedAt).toBeGreaterThanOrEqual(due);
    expect((fired?.receivedAt ?? Infinity) - due).toBeLessThan(1_000);
    await until('the schedule was deleted', async () => !(await exists(group, 'w1-start')));
    await sleep(600);
    expect(lambda.invocations).toHaveLength(1);
  });

  it('fires a timer whose moment passed while it was not running at its first poll', async () => {
    await create({ kind: 'reminder', turn: 0 }, new Date(Date.now() - 90_000));
    const started = Date.now();
    start();
    await until('the late timer fired', () => lambda.invocations.length === 1);
    expect((lambda.invocations[0]?.receivedAt ?? Infinity) - started).toBeLessThan(1_000);
    await until('the schedule was deleted', async () => !(await exists(group, 'reminder-0')));
  });

  it('never invokes a schedule it cannot evaluate, leaves it in place, and says so once', async () => {
    const past = new Date(Date.now() - 1_000);
    await create({ kind: 'window.start', windowId: 'cron' }, past, {
      ScheduleExpression: 'cron(0 2 * * ? *)',
    });
    await create({ kind: 'window.start', windowId: 'paris' }, past, {
      ScheduleExpressionTimezone: 'Europe/Paris',
    });
    await create({ kind: 'window.start', windowId: 'flexible' }, past, {
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
    });
    await create({ kind: 'window.start', windowId: 'kept' }, past, { ActionAfterCompletion: 'NONE' });
    start();

    await sleep(1_500); // several polls
    expect(lambda.invocations).toEqual([]);
    for (const name of ['cron-start', 'paris-start', 'flexible-start', 'kept-start']) {
      expect(await exists(group, name)).toBe(true);
      expect(lines.filter((line) => line.includes(`${group}/${name}`))).toEqual([
        expect.stringMatching(/^ERROR: refusing schedule .*, never invoking it: /),
      ]);
    }
    expect(lines.find((line) => line.includes('paris-start'))).toMatch(/time zone "Europe\/Paris"/);
  });

  it('does not fire a disabled schedule, and says nothing of it', async () => {
    await create({ kind: 'reminder', turn: 0 }, new Date(Date.now() - 1_000), { State: 'DISABLED' });
    start();
    await sleep(1_000);
    expect(lambda.invocations).toEqual([]);
    expect(await exists(group, 'reminder-0')).toBe(true);
    expect(lines).toEqual([]);
  });

  it('keeps a timer whose invocation fails and retries it, then deletes it once it went through', async () => {
    await lambda.close();
    lambda = await startFakeLambda({ failFirst: 2 });
    await timers.set({ kind: 'reminder', turn: 0 }, new Date(Date.now() - 1_000));
    start();
    await until('the timer fired on its third attempt', () => lambda.invocations.length === 1);
    expect(lines.filter((line) => /failed \(attempt \d, retrying\)/.test(line))).toHaveLength(2);
    await until('the schedule was deleted', async () => !(await exists(group, 'reminder-0')));
  });

  it('gives up after the retry policy is spent, and deletes the timer', async () => {
    await create({ kind: 'reminder', turn: 0 }, new Date(Date.now() - 1_000), {
      Target: {
        ...timers.scheduleInput({ kind: 'reminder', turn: 0 }, new Date()).Target,
        Arn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`,
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 },
      },
    });
    start('http://127.0.0.1:9'); // nothing listens: every invocation fails
    await until('the schedule was deleted', async () => !(await exists(group, 'reminder-0')));
    expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(1);
    expect(lines).toContainEqual(
      expect.stringMatching(/^gave up on schedule .*\/reminder-0 after 2 attempts/),
    );
  });

  it('keeps a timer its function set anew while it ran: the reminder re-arms itself', async () => {
    const next = new Date(Date.now() + 3_600_000);
    await lambda.close();
    lambda = await startFakeLambda({ onInvoke: () => timers.set({ kind: 'reminder', turn: 0 }, next) });
    await timers.set({ kind: 'reminder', turn: 0 }, new Date(Date.now() - 1_000));
    start();
    await until('the reminder fired', () => lambda.invocations.length === 1);
    await sleep(600);
    const kept = await scheduler.send(new GetScheduleCommand({ GroupName: group, Name: 'reminder-0' }));
    expect(kept.ScheduleExpression).toBe(
      timers.scheduleInput({ kind: 'reminder', turn: 0 }, next).ScheduleExpression,
    );
    expect(lambda.invocations).toHaveLength(1);
  });

  it('stops by itself, promptly', async () => {
    start();
    const stopping = Date.now();
    await runner?.stop();
    runner = undefined;
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
});

describe("provisioning the stage's schedule group", () => {
  it('creates it from serverless.yml, and a restart keeps the schedules in it', async () => {
    const stage = `sched${randomBytes(4).toString('hex')}`;
    const definition = renamedDefinition(await testDefinition(), stage);
    const stack = await provisionStack(definition);
    expect(stack.scheduleGroup).toBe(`waf-maintenance-${stage}`);
    const timers = new EventBridgeTimers(scheduler, {
      group: stack.scheduleGroup,
      functionArn: `arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-${stage}-scheduled`,
      roleArn: 'arn:aws:iam::123456789012:role/r',
    });
    await timers.set({ kind: 'reminder', turn: 0 }, new Date(Date.now() + 3_600_000));

    await provisionStack(definition);
    expect(await exists(stack.scheduleGroup, 'reminder-0')).toBe(true);
  });
});
