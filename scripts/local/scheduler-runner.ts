import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  type ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { ACCOUNT, REGION } from './intrinsics';

/**
 * The local stand-in for EventBridge Scheduler, which moto stores schedules for but never fires: it polls
 * the stage's schedule group in the emulator and invokes each one-time schedule's Lambda target, when its
 * time has come, through serverless-offline's Lambda endpoint, asynchronously and with the target's Input
 * as it is; then deletes the schedule (ActionAfterCompletion DELETE). It evaluates what the switch uses
 * (eventbridge-timers.ts) and refuses, loudly and once, any schedule it cannot evaluate, never invoking it.
 *
 * It fires on the schedule's second. AWS fires one-time schedules with 60-second precision (between hh:mm:00
 * and hh:mm:59 of the schedule's minute: EventBridge Scheduler User Guide, "Schedule types"), so deployed
 * a timer may come up to a minute early or late; handlers/scheduled.ts absorbs the early side by waiting
 * for the event's `at`.
 */

export interface SchedulerRunnerOptions {
  emulatorUrl: string;
  /** The schedule group it fires: the stage's `waf-maintenance-<stage>`. */
  group: string;
  /** serverless-offline's Lambda endpoint, where only `<service>-<stage>-<function>` resolves. */
  lambdaUrl: string;
  pollMs?: number;
  log: (line: string) => void;
  /**
   * What the stack's Scheduler role allows (serverless.yml's SchedulerRole: invoke `scheduled`, as that
   * role): a schedule naming another role or function would be refused by IAM in AWS, so it is here too.
   */
  expected?: ExpectedTarget;
}

export interface ExpectedTarget {
  functionArn: string;
  roleArn: string;
}

export interface RunningSchedulerRunner {
  stop(): Promise<void>;
}

/** What one schedule asks for, as far as the runner can tell. */
export type SchedulePlan =
  | { kind: 'disabled' }
  | { kind: 'refused'; reason: string }
  | {
      kind: 'timer';
      at: Date;
      functionName: string;
      input: string;
      /** Retries after the first attempt (Scheduler's MaximumRetryAttempts, default 185). */
      maxRetries: number;
      /** How long retries go on after the first attempt (MaximumEventAgeInSeconds, default 86400). */
      maxAgeMs: number;
    };

/** Scheduler's defaults when a target names no RetryPolicy (API Reference, RetryPolicy; moto uses them too). */
export const DEFAULT_RETRY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 };
/** The longest wait between two attempts at a failing invocation. */
export const MAX_BACKOFF_MS = 30_000;

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

/**
 * The moment of a one-time schedule's `at(yyyy-mm-ddThh:mm:ss)` in UTC; undefined for any other expression
 * (rate, cron, a fraction of a second, an offset) or a date that does not exist.
 *
 * @example
 * parseAtExpression('at(2026-12-06T02:00:01)') // 2026-12-06T02:00:01.000Z
 * parseAtExpression('rate(5 minutes)')         // undefined
 */
export function parseAtExpression(expression: string): Date | undefined {
  const match = AT.exec(expression);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-30 over to March: a field out of range shows as a different date back.
  const back = at.toISOString().slice(0, 19);
  return back === expression.slice(3, -1) ? at : undefined;
}

/**
 * Whether a timer for `at` fires at `now`: from its second on, however late (a schedule whose time passed
 * while the runner was down fires at its next poll, as AWS fires a late one while its retries last).
 *
 * @example
 * isDue(new Date('2026-12-06T02:00:01Z'), new Date('2026-12-06T02:00:00.999Z')) // false
 */
export function isDue(at: Date, now: Date): boolean {
  return now.getTime() >= at.getTime();
}

/**
 * The function a Lambda ARN names (`arn:aws:lambda:<region>:<account>:function:<name>`), undefined for any
 * other target or a qualified one (`:alias`, `:version`), which serverless-offline cannot resolve.
 *
 * @example
 * lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-dev-scheduled') // 'waf-maintenance-dev-scheduled'
 */
export function lambdaFunctionName(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)$/.exec(arn)?.[1];
}

/** The wait before retry `attempt` (1, 2, ...): doubling from one poll, as Scheduler backs off exponentially. */
export function retryDelayMs(attempt: number, pollMs: number): number {
  return Math.min(pollMs * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}

/**
 * What a schedule asks the runner for. Disabled: nothing (a disabled schedule does not fire). Refused, with
 * the reason: anything but a Lambda-targeted `at()` in UTC with no flexible window that deletes itself
 * after completion, or one without an Input (Scheduler would send its default notification instead).
 * StartDate and EndDate are not read: Scheduler ignores them for one-time schedules.
 *
 * @example
 * planSchedule({ ScheduleExpression: 'cron(0 2 * * ? *)', ... }) // { kind: 'refused', reason: 'cron(0 2 * * ? *) is not at(yyyy-mm-ddThh:mm:ss)...' }
 */
export function planSchedule(schedule: GetScheduleCommandOutput, expected?: ExpectedTarget): SchedulePlan {
  if (schedule.State === 'DISABLED') return { kind: 'disabled' };
  const refuse = (reason: string): SchedulePlan => ({ kind: 'refused', reason });
  const expression = schedule.ScheduleExpression ?? '';
  const at = parseAtExpression(expression);
  if (!at)
    return refuse(
      `${JSON.stringify(expression)} is not at(yyyy-mm-ddThh:mm:ss), the only expression it evaluates`,
    );
  const zone = schedule.ScheduleExpressionTimezone;
  if (zone !== undefined && zone !== 'UTC')
    return refuse(`time zone ${JSON.stringify(zone)}: it evaluates at() in UTC only`);
  const window = schedule.FlexibleTimeWindow?.Mode;
  if (window !== 'OFF') return refuse(`FlexibleTimeWindow ${JSON.stringify(window ?? null)}: only OFF`);
  if (schedule.ActionAfterCompletion !== 'DELETE')
    return refuse(
      `ActionAfterCompletion ${JSON.stringify(schedule.ActionAfterCompletion ?? null)}: only DELETE`,
    );
  const target = schedule.Target;
  const functionName = lambdaFunctionName(target?.Arn ?? '');
  if (!functionName)
    return refuse(`target ${JSON.stringify(target?.Arn ?? null)} is not a Lambda function ARN`);
  if (expected && target?.Arn !== expected.functionArn)
    return refuse(
      `target ${JSON.stringify(target?.Arn)} is not ${expected.functionArn}, the one function its role may invoke`,
    );
  if (expected && target?.RoleArn !== expected.roleArn)
    return refuse(
      `role ${JSON.stringify(target?.RoleArn ?? null)} is not the stack's Scheduler role ${expected.roleArn}`,
    );
  if (target?.Input === undefined)
    return refuse('its target has no Input (Scheduler would send its default notification)');
  if (target.DeadLetterConfig?.Arn)
    return refuse('it has a dead-letter queue, which the runner cannot deliver to');
  const retry = target.RetryPolicy ?? {};
  return {
    kind: 'timer',
    at,
    functionName,
    input: target.Input,
    maxRetries: retry.MaximumRetryAttempts ?? DEFAULT_RETRY.MaximumRetryAttempts,
    maxAgeMs: (retry.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.MaximumEventAgeInSeconds) * 1000,
  };
}

/** One version of a schedule: an UpdateSchedule makes another, which is evaluated (and refused) afresh. */
function version(schedule: GetScheduleCommandOutput): string {
  return JSON.stringify([
    schedule.LastModificationDate?.getTime(),
    schedule.ScheduleExpression,
    schedule.State,
    schedule.Target?.Input,
  ]);
}

/**
 * The stage parameters the local stack passes for the timers: the scheduled function's ARN as the deployed
 * stack writes it (in the local account), a local role for Scheduler, and REMINDER_INTERVAL_SECONDS when set.
 *
 * @example
 * timerParams({ service: 'waf-maintenance', stage: 'dev' }, {}) // { scheduledFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-dev-scheduled', schedulerRoleArn: '...' }
 */
export function timerParams(
  stack: { service: string; stage: string },
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const prefix = `${stack.service}-${stack.stage}`;
  const interval = env.REMINDER_INTERVAL_SECONDS || undefined;
  if (interval !== undefined && !/^[1-9]\d*$/.test(interval)) {
    throw new Error(
      `REMINDER_INTERVAL_SECONDS must be a whole number of seconds above 0, not ${JSON.stringify(interval)}`,
    );
  }
  return {
    scheduledFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${prefix}-scheduled`,
    schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/${prefix}-scheduler`,
    ...(interval ? { reminderIntervalSeconds: interval } : {}),
  };
}

interface Failing {
  version: string;
  attempts: number;
  firstAt: number;
  nextAt: number;
}

/**
 * Starts polling the group (every `pollMs`, 200 by default) until stop().
 *
 * @example
 * const runner = startSchedulerRunner({ emulatorUrl, group: 'waf-maintenance-dev', lambdaUrl, log });
 * await runner.stop();
 */
export function startSchedulerRunner(options: SchedulerRunnerOptions): RunningSchedulerRunner {
  const pollMs = options.pollMs ?? 200;
  const { group, log } = options;
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const scheduler = new SchedulerClient({ region: REGION, endpoint: options.emulatorUrl, credentials });
  // One attempt per call: the schedule's retry policy, below, decides when to try again.
  const lambda = new LambdaClient({
    region: REGION,
    endpoint: options.lambdaUrl,
    credentials,
    maxAttempts: 1,
  });
  const refused = new Map<string, string>();
  const failing = new Map<string, Failing>();
  let lastError = '';
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // Every call is bounded, and stop() cuts the one in flight short.
  const stopping = new AbortController();
  const timeout = () => ({ abortSignal: AbortSignal.any([stopping.signal, AbortSignal.timeout(5_000)]) });

  const list = async (): Promise<ScheduleSummary[]> => {
    const found: ScheduleSummary[] = [];
    let NextToken: string | undefined;
    for (let pages = 0; pages < 1_000; pages++) {
      const page = await scheduler.send(new ListSchedulesCommand({ GroupName: group, NextToken }), timeout());
      found.push(...(page.Schedules ?? []));
      if (!page.NextToken || page.NextToken === NextToken) break;
      NextToken = page.NextToken;
    }
    return found;
  };

  /** Deletes the schedule fired, unless the function has set it anew meanwhile (the reminder re-arms itself). */
  const complete = async (name: string, fired: string) => {
    try {
      const now = await scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name }), timeout());
      if (version(now) !== fired) return;
      await scheduler.send(new DeleteScheduleCommand({ GroupName: group, Name: name }), timeout());
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  };

  const fire = async (
    name: string,
    schedule: GetScheduleCommandOutput,
    plan: SchedulePlan & { kind: 'timer' },
  ) => {
    const id = `${group}/${name}`;
    const fired = version(schedule);
    let failure = failing.get(name);
    if (failure && failure.version !== fired) failure = undefined;
    const now = Date.now();
    if (failure && now < failure.nextAt) return;
    try {
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: plan.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(plan.input),
        }),
        timeout(),
      );
      if (out.StatusCode !== 202) throw new Error(`the Lambda endpoint answered ${out.StatusCode}, not 202`);
    } catch (error) {
      if (stopped) return;
      const attempts = (failure?.attempts ?? 0) + 1;
      const firstAt = failure?.firstAt ?? now;
      const why = (error as Error).message;
      if (attempts > plan.maxRetries || now - firstAt >= plan.maxAgeMs) {
        log(`gave up on schedule ${id} after ${attempts} attempts (its retry policy): ${why}; deleting it`);
        failing.delete(name);
        await complete(name, fired);
        return;
      }
      const nextAt = now + retryDelayMs(attempts, pollMs);
      failing.set(name, { version: fired, attempts, firstAt, nextAt });
      log(`invoking ${plan.functionName} for schedule ${id} failed (attempt ${attempts}, retrying): ${why}`);
      return;
    }
    failing.delete(name);
    log(`fired schedule ${id} (due ${plan.at.toISOString()}) into ${plan.functionName}`);
    await complete(name, fired);
  };

  const visit = async (summary: ScheduleSummary) => {
    const name = summary.Name ?? '';
    if (summary.State === 'DISABLED') return;
    let schedule: GetScheduleCommandOutput;
    try {
      schedule = await scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name }), timeout());
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    const plan = planSchedule(schedule, options.expected);
    if (plan.kind === 'disabled') return;
    if (plan.kind === 'refused') {
      if (refused.get(name) !== version(schedule)) {
        refused.set(name, version(schedule));
        log(`ERROR: refusing schedule ${group}/${name}, never invoking it: ${plan.reason}`);
      }
      return;
    }
    refused.delete(name);
    if (isDue(plan.at, new Date())) await fire(name, schedule, plan);
  };

  const poll = async () => {
    while (!stopped) {
      try {
        const schedules = await list();
        const names = new Set(schedules.map((s) => s.Name ?? ''));
        for (const kept of [refused, failing]) {
          for (const name of kept.keys()) if (!names.has(name)) kept.delete(name);
        }
        for (const summary of schedules) {
          if (stopped) break;
          await visit(summary);
        }
        lastError = '';
      } catch (error) {
        // Said once while it lasts (a group not provisioned, the emulator gone): not five times a second.
        const message = (error as Error).message;
        if (!stopped && message !== lastError) log(`reading schedule group ${group}: ${message}`);
        lastError = message;
      }
      if (!stopped) await pause();
    }
  };
  const running = poll();
  return {
    async stop() {
      stopped = true;
      stopping.abort();
      wake?.();
      await running;
      scheduler.destroy();
      lambda.destroy();
    },
  };
}
