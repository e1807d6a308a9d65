import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { atExpression, EventBridgeTimers } from '../../../src/adapters/aws/eventbridge-timers';
import { UpstreamError } from '../../../src/domain/errors';

// The deployed path's requests to EventBridge Scheduler, exactly: moto stores whatever it is sent and
// never fires it, so only the input itself can show that AWS would fire it once, on time, and delete it.

const TARGET = {
  group: 'waf-maintenance-prod',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-prod-scheduled',
  roleArn: 'arn:aws:iam::123456789012:role/waf-maintenance-prod-SchedulerRole-ABC',
};
const ID = '11111111-1111-4111-8111-111111111111';

describe('EventBridgeTimers', () => {
  const scheduler = mockClient(SchedulerClient);
  const timers = () => new EventBridgeTimers(new SchedulerClient({ region: 'us-east-1' }), TARGET);

  beforeEach(() => scheduler.reset());

  it("creates a window's start as one one-time schedule in UTC, with no flexible window, deleted once fired", async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await timers().set({ kind: 'window.start', windowId: ID }, new Date('2026-12-06T02:00:00.000Z'));
    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      Name: `${ID}-start`,
      GroupName: 'waf-maintenance-prod',
      ScheduleExpression: 'at(2026-12-06T02:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: TARGET.functionArn,
        RoleArn: TARGET.roleArn,
        Input: JSON.stringify({
          event: { kind: 'window.start', windowId: ID },
          at: '2026-12-06T02:00:00.000Z',
        }),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
      },
    });
  });

  it('replaces a timer already set for the same event whole (UpdateSchedule takes the same input)', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .on(UpdateScheduleCommand)
      .resolves({});
    await timers().set({ kind: 'reminder', turn: 0 }, new Date('2026-12-06T02:15:00.000Z'));
    const created = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    const updated = scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input;
    expect(updated).toEqual(created);
    expect(updated).toMatchObject({ Name: 'reminder-0', ScheduleExpression: 'at(2026-12-06T02:15:00)' });
  });

  it('deletes a timer by its name in the group, and takes one already gone as deleted', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(timers().clear({ kind: 'window.end', windowId: ID })).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: `${ID}-end`,
      GroupName: 'waf-maintenance-prod',
    });
  });

  it("says which schedule failed, in AWS's code, never its message", async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      Object.assign(new Error('arn:aws:iam::123456789012 is not authorized'), {
        name: 'AccessDeniedException',
      }),
    );
    const failure = timers().set({ kind: 'window.end', windowId: ID }, new Date('2026-12-06T03:00:00Z'));
    await expect(failure).rejects.toBeInstanceOf(UpstreamError);
    await expect(failure).rejects.toThrow(
      `AWS failed: CreateSchedule on schedule waf-maintenance-prod/${ID}-end: AccessDeniedException`,
    );
  });

  it('rounds a moment with a fraction of a second up, so a timer never fires before its moment', () => {
    expect(atExpression(new Date('2026-12-06T02:00:00.000Z'))).toBe('at(2026-12-06T02:00:00)');
    expect(atExpression(new Date('2026-12-06T02:00:00.001Z'))).toBe('at(2026-12-06T02:00:01)');
    expect(atExpression(new Date('2026-12-31T23:59:59.500Z'))).toBe('at(2027-01-01T00:00:00)');
  });
});
