import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { TIMER_MAX_AGE_MS, type TimerEvent, timerName } from '../../domain/windows';
import type { Timers } from '../../ports/timers';
import { translateAwsError } from './aws-errors';

export interface TimerTarget {
  /** The stage's schedule group (`waf-maintenance-<stage>`); the creating role may act on it alone. */
  group: string;
  /** The scheduled function's ARN. */
  functionArn: string;
  /** The role Scheduler assumes to invoke it (trusted by scheduler.amazonaws.com, lambda:InvokeFunction). */
  roleArn: string;
}

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC, whole seconds (a fraction is rounded up, so a timer never fires before
 * its moment is reached: the handler waits out Scheduler's minute precision, see scheduled.ts).
 *
 * @example
 * atExpression(new Date('2026-12-06T02:00:00.250Z')) // 'at(2026-12-06T02:00:01)'
 */
export function atExpression(at: Date): string {
  const seconds = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return `at(${seconds.toISOString().slice(0, 19)})`;
}

/** The event a timer hands the scheduled function, with the moment it is for. */
export interface TimerInput {
  event: TimerEvent;
  at: string;
}

/**
 * Timers as EventBridge Scheduler one-time schedules, one per event, named by it, in the stage's group:
 * `at()` in UTC, no flexible window, deleted once fired (ActionAfterCompletion DELETE).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export class EventBridgeTimers implements Timers {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: TimerTarget,
  ) {}

  /** The whole CreateSchedule input of a timer: UpdateSchedule, which replaces a schedule whole, takes the same. */
  scheduleInput(event: TimerEvent, at: Date): CreateScheduleCommandInput {
    const input: TimerInput = { event, at: at.toISOString() };
    return {
      Name: timerName(event),
      GroupName: this.target.group,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.target.functionArn,
        RoleArn: this.target.roleArn,
        Input: JSON.stringify(input),
        // Delivery to Lambda is retried for up to an hour; a window's start later than its end is missed.
        RetryPolicy: { MaximumEventAgeInSeconds: TIMER_MAX_AGE_MS / 1000, MaximumRetryAttempts: 20 },
      },
    };
  }

  async set(event: TimerEvent, at: Date): Promise<void> {
    const input = this.scheduleInput(event, at);
    const resource = `schedule ${this.target.group}/${input.Name}`;
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException))
        throw translateAwsError(error, { operation: 'CreateSchedule', resource });
      try {
        await this.client.send(new UpdateScheduleCommand(input));
      } catch (again) {
        throw translateAwsError(again, { operation: 'UpdateSchedule', resource });
      }
    }
  }

  async clear(event: TimerEvent): Promise<void> {
    const name = timerName(event);
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.group }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw translateAwsError(error, {
        operation: 'DeleteSchedule',
        resource: `schedule ${this.target.group}/${name}`,
      });
    }
  }
}
