import type { GetScheduleCommandOutput, SchedulerClient } from '@aws-sdk/client-scheduler';
import { readyBanner } from '../../../scripts/local/banner';
import {
  DEFAULT_RETRY,
  isDue,
  lambdaFunctionName,
  MAX_BACKOFF_MS,
  parseAtExpression,
  planSchedule,
  retryDelayMs,
  timerParams,
} from '../../../scripts/local/scheduler-runner';
import { EventBridgeTimers } from '../../../src/adapters/aws/eventbridge-timers';

// The local scheduler runner fires what the switch's timers create, as EventBridge Scheduler would, and
// refuses what it cannot evaluate rather than firing it on a guess.

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-dev-scheduled';
const timers = new EventBridgeTimers({} as SchedulerClient, {
  group: 'waf-maintenance-dev',
  functionArn: FUNCTION_ARN,
  roleArn: 'arn:aws:iam::123456789012:role/waf-maintenance-dev-scheduler',
});
const AT = new Date('2026-12-06T02:00:00.000Z');

/** A schedule as GetSchedule gives back what the deployed adapter creates, with overrides. */
const schedule = (overrides: Partial<GetScheduleCommandOutput> = {}): GetScheduleCommandOutput => ({
  ...(timers.scheduleInput({ kind: 'window.start', windowId: 'w1' }, AT) as GetScheduleCommandOutput),
  $metadata: {},
  ...overrides,
});

describe('parseAtExpression', () => {
  it('reads at(yyyy-mm-ddThh:mm:ss) as that second in UTC', () => {
    expect(parseAtExpression('at(2026-12-06T02:00:01)')?.toISOString()).toBe('2026-12-06T02:00:01.000Z');
    expect(parseAtExpression('at(2028-02-29T23:59:59)')?.toISOString()).toBe('2028-02-29T23:59:59.000Z');
  });

  it.each([
    'rate(5 minutes)',
    'cron(0 2 * * ? *)',
    'at(2026-12-06T02:00)',
    'at(2026-12-06T02:00:00.500)',
    'at(2026-12-06T02:00:00Z)',
    'at(2026-12-06 02:00:00)',
    ' at(2026-12-06T02:00:00)',
    'at(2026-02-30T02:00:00)',
    'at(2027-02-29T02:00:00)',
    'at(2026-13-01T02:00:00)',
    'at(2026-12-06T24:00:00)',
    'at(2026-12-06T02:60:00)',
    'at(2026-12-06T02:00:60)',
  ])('reads no moment in %j', (expression) => {
    expect(parseAtExpression(expression)).toBeUndefined();
  });
});

describe('isDue', () => {
  it('is due from its second on, however late', () => {
    expect(isDue(AT, new Date(AT.getTime() - 1))).toBe(false);
    expect(isDue(AT, AT)).toBe(true);
    expect(isDue(AT, new Date(AT.getTime() + 3 * 86_400_000))).toBe(true);
  });
});

describe('lambdaFunctionName', () => {
  it('takes the name after `function:`', () => {
    expect(lambdaFunctionName(FUNCTION_ARN)).toBe('waf-maintenance-dev-scheduled');
  });

  it.each([
    `${FUNCTION_ARN}:live`,
    'arn:aws:sqs:us-east-1:123456789012:queue',
    'arn:aws:states:us-east-1:123456789012:stateMachine:s',
    'waf-maintenance-dev-scheduled',
    '',
  ])('names no function in %j', (arn) => {
    expect(lambdaFunctionName(arn)).toBeUndefined();
  });
});

describe('planSchedule', () => {
  it("fires the adapter's timers into their function with their Input verbatim and retry policy", () => {
    const created = schedule();
    expect(planSchedule(created)).toEqual({
      kind: 'timer',
      at: AT,
      functionName: 'waf-maintenance-dev-scheduled',
      input: created.Target?.Input,
      maxRetries: 20,
      maxAgeMs: 3_600_000,
    });
  });

  it("refuses a target its role may not invoke, or a role other than the stack's, as IAM would", () => {
    const expected = {
      functionArn: FUNCTION_ARN,
      roleArn: 'arn:aws:iam::123456789012:role/waf-maintenance-dev-scheduler',
    };
    expect(planSchedule(schedule(), expected)).toMatchObject({ kind: 'timer' });
    const target = schedule().Target ?? { Arn: '', RoleArn: '' };
    const otherFunction = { ...target, Arn: FUNCTION_ARN.replace('scheduled', 'setMaintenance') };
    expect(planSchedule(schedule({ Target: otherFunction }), expected)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('the one function its role may invoke'),
    });
    const otherRole = { ...target, RoleArn: 'arn:aws:iam::123456789012:role/admin' };
    expect(planSchedule(schedule({ Target: otherRole }), expected)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining("is not the stack's Scheduler role"),
    });
  });

  it("takes Scheduler's defaults for a target without a retry policy, and UTC for no time zone", () => {
    const { RetryPolicy: _none, ...target } = schedule().Target ?? { Arn: '', RoleArn: '' };
    const plan = planSchedule(schedule({ Target: target, ScheduleExpressionTimezone: undefined }));
    expect(plan).toMatchObject({
      kind: 'timer',
      maxRetries: DEFAULT_RETRY.MaximumRetryAttempts,
      maxAgeMs: DEFAULT_RETRY.MaximumEventAgeInSeconds * 1000,
    });
  });

  it('ignores StartDate and EndDate, as Scheduler does for one-time schedules', () => {
    const plan = planSchedule(
      schedule({ StartDate: new Date('2030-01-01'), EndDate: new Date('2020-01-01') }),
    );
    expect(plan).toMatchObject({ kind: 'timer', at: AT });
  });

  it('leaves a disabled schedule alone, without a reason: it does not fire', () => {
    expect(planSchedule(schedule({ State: 'DISABLED' }))).toEqual({ kind: 'disabled' });
  });

  const target = schedule().Target ?? { Arn: '', RoleArn: '' };
  it.each([
    [
      'a rate',
      { ScheduleExpression: 'rate(1 minute)' },
      /"rate\(1 minute\)" is not at\(yyyy-mm-ddThh:mm:ss\)/,
    ],
    ['a cron', { ScheduleExpression: 'cron(0 2 * * ? *)' }, /is not at\(/],
    ['another time zone', { ScheduleExpressionTimezone: 'Europe/Paris' }, /time zone "Europe\/Paris"/],
    [
      'a flexible window',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const, MaximumWindowInMinutes: 5 } },
      /FlexibleTimeWindow "FLEXIBLE"/,
    ],
    ['no flexible window at all', { FlexibleTimeWindow: undefined }, /FlexibleTimeWindow null/],
    [
      'a schedule kept after completion',
      { ActionAfterCompletion: 'NONE' as const },
      /ActionAfterCompletion "NONE": only DELETE/,
    ],
    ['no action after completion', { ActionAfterCompletion: undefined }, /ActionAfterCompletion null/],
    [
      'a queue target',
      { Target: { ...target, Arn: 'arn:aws:sqs:us-east-1:123456789012:q' } },
      /is not a Lambda function ARN/,
    ],
    [
      'a qualified function',
      { Target: { ...target, Arn: `${FUNCTION_ARN}:2` } },
      /is not a Lambda function ARN/,
    ],
    ['a target without Input', { Target: { ...target, Input: undefined } }, /default notification/],
    [
      'a dead-letter queue',
      { Target: { ...target, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' } } },
      /dead-letter/,
    ],
  ])('refuses %s, saying why', (_what, overrides, reason) => {
    const plan = planSchedule(schedule(overrides));
    expect(plan.kind).toBe('refused');
    expect(plan.kind === 'refused' && plan.reason).toMatch(reason);
  });
});

describe('retryDelayMs', () => {
  it('doubles from one poll, up to a bound', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 200))).toEqual([200, 400, 800, 1600]);
    expect(retryDelayMs(40, 200)).toBe(MAX_BACKOFF_MS);
  });
});

describe('timerParams', () => {
  const stack = { service: 'waf-maintenance', stage: 'dev' };

  it("names the stage's scheduled function in the local account and a local role for Scheduler", () => {
    expect(timerParams(stack, {})).toEqual({
      scheduledFunctionArn: FUNCTION_ARN,
      schedulerRoleArn: 'arn:aws:iam::123456789012:role/waf-maintenance-dev-scheduler',
    });
  });

  it('passes REMINDER_INTERVAL_SECONDS on as reminderIntervalSeconds', () => {
    expect(timerParams(stack, { REMINDER_INTERVAL_SECONDS: '3' })).toMatchObject({
      reminderIntervalSeconds: '3',
    });
  });

  it('takes an empty REMINDER_INTERVAL_SECONDS as unset', () => {
    expect(timerParams(stack, { REMINDER_INTERVAL_SECONDS: '' })).not.toHaveProperty(
      'reminderIntervalSeconds',
    );
  });

  it.each(['0', '-5', '1.5', 'soon', ' 3'])('refuses REMINDER_INTERVAL_SECONDS=%j', (value) => {
    expect(() => timerParams(stack, { REMINDER_INTERVAL_SECONDS: value })).toThrow(
      /REMINDER_INTERVAL_SECONDS/,
    );
  });
});

describe('the ready banner', () => {
  const ready = {
    stage: 'dev',
    apiUrl: 'http://127.0.0.1:3000',
    emulatorUrl: 'http://127.0.0.1:4566',
    emulatorStartedHere: true,
    ruleGroupArn: 'arn:group',
    webAclArn: 'arn:acl',
    distributionId: 'E123',
    edgeUrl: undefined,
    origin: { url: '', sample: false },
    tokens: { admin: 'wmt_admin', operator: 'wmt_operator' },
    slack: { secret: 's', fromEnvironment: false, parameterName: '/p' },
  };

  it("says the local runner fires the stage's schedule group, after the Announcements line", () => {
    const banner = readyBanner({ ...ready, scheduleGroup: 'waf-maintenance-dev' });
    expect(banner).toMatch(
      /^ {2}Announcements .*\n {2}Scheduler {7}local runner over the emulator's group waf-maintenance-dev$/m,
    );
    expect(readyBanner(ready)).not.toMatch(/Scheduler/);
  });
});
