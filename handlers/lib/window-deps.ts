import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { clientConfig, createClients } from '../../src/adapters/aws/clients';
import { DynamoDbWindowStore } from '../../src/adapters/aws/dynamodb-window-store';
import { EventBridgeTimers } from '../../src/adapters/aws/eventbridge-timers';
import { loadConfig, loadTimerConfig } from '../../src/config';
import type { Timers } from '../../src/ports/timers';
import type { WindowStore } from '../../src/ports/window-store';

/** What planning, cancelling and running windows adds to a handler's deps. */
export interface WindowDeps {
  windows: WindowStore;
  timers: Timers;
  reminderIntervalMs: number;
}

/**
 * The windows' part of a composition root: the calendar in the stage's table and the timers in its
 * schedule group. `endpoint` points the clients elsewhere than AWS_ENDPOINT_URL (tests: a fault proxy).
 */
export function windowDeps(
  env: NodeJS.ProcessEnv = process.env,
  options: { endpoint?: string } = {},
): WindowDeps {
  return { windows: calendarStore(env, options), ...windowTimers(env, options) };
}

/** The timers alone, and the reminder's interval (the announcer sets the reminder's timer, nothing else). */
export function windowTimers(
  env: NodeJS.ProcessEnv = process.env,
  options: { endpoint?: string } = {},
): Pick<WindowDeps, 'timers' | 'reminderIntervalMs'> {
  const config = loadTimerConfig(env);
  return {
    timers: new EventBridgeTimers(new SchedulerClient(clientConfig(config.AWS_REGION, options.endpoint)), {
      group: config.SCHEDULE_GROUP,
      functionArn: config.SCHEDULED_FUNCTION_ARN,
      roleArn: config.SCHEDULER_ROLE_ARN,
    }),
    reminderIntervalMs: config.REMINDER_INTERVAL_SECONDS * 1000,
  };
}

/** The calendar alone (GET /maintenance/windows reads it and sets no timer). */
export function calendarStore(
  env: NodeJS.ProcessEnv = process.env,
  options: { endpoint?: string } = {},
): WindowStore {
  const config = loadConfig(env);
  return new DynamoDbWindowStore(
    createClients(config.AWS_REGION, options.endpoint).dynamodb,
    config.TABLE_NAME,
  );
}
