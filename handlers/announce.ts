import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { readStreamEntry } from '../src/adapters/aws/dynamodb-stream-entry';
import { jsonLogger } from '../src/adapters/json-logger';
import type { Entry } from '../src/domain/history';
import { type AnnounceDeps, type AnnounceLog, announceEntries } from '../src/use-cases/announce-entries';
import { planReminder, type RunTimerDeps } from '../src/use-cases/run-timer';
import { slackWebhook } from './lib/webhook-deps';
import { windowTimers } from './lib/window-deps';

/**
 * The announce function: the table's stream, filtered to inserted `entry#` items, hands it the history's
 * new entries; each is posted to the Slack webhook. It returns normally whatever became of the posts, so
 * the stream moves on and no change ever waits for Slack.
 */
export function createHandler(
  deps: Omit<AnnounceDeps, 'timeLeftMs' | 'log' | 'quiet'> & {
    log?: AnnounceLog;
    /** The reminder's timer, set by each toggle (absent: no reminders). */
    reminders?: Pick<RunTimerDeps, 'timers' | 'reminderIntervalMs'>;
  },
) {
  const quiet = { told: false };
  return middy<DynamoDBStreamEvent, void, Error, Context>().handler(async (event, context) => {
    const entries = event.Records.map(readStreamEntry).filter((entry): entry is Entry => entry !== null);
    const log = deps.log ?? jsonLogger;
    await announceEntries(
      { ...deps, log, quiet, timeLeftMs: () => context.getRemainingTimeInMillis() },
      entries,
    );
    if (!deps.reminders) return;
    try {
      await planReminder(deps.reminders, entries);
    } catch (error) {
      // The next toggle sets it again; a reminder is a courtesy, never a reason to replay the batch.
      log.error('reminder-plan-failed', { error });
    }
  });
}

function announceDeps(env: NodeJS.ProcessEnv = process.env) {
  const webhook = slackWebhook(env);
  return { webhookUrl: webhook.url, poster: webhook.poster, reminders: windowTimers(env) };
}

export const handler = createHandler(announceDeps());
