import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { clientConfig } from '../src/adapters/aws/clients';
import { readStreamEntry } from '../src/adapters/aws/dynamodb-stream-entry';
import { SsmSecret } from '../src/adapters/aws/ssm-secret';
import { jsonLogger } from '../src/adapters/json-logger';
import { SlackWebhookPoster } from '../src/adapters/slack/webhook-poster';
import { loadAnnounceConfig } from '../src/announce-config';
import type { Entry } from '../src/domain/history';
import { systemClock } from '../src/ports/clock';
import { type AnnounceDeps, type AnnounceLog, announceEntries } from '../src/use-cases/announce-entries';
import { planReminder, type RunTimerDeps } from '../src/use-cases/run-timer';
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
  const config = loadAnnounceConfig(env);
  const ssm = new SSMClient(clientConfig(config.AWS_REGION));
  return {
    webhookUrl: new SsmSecret(
      ssm,
      config.SLACK_WEBHOOK_PARAMETER,
      systemClock,
      undefined,
      "the Slack incoming webhook's URL",
    ),
    // The template passes '' when the stage sets no prefix: that admits nothing more.
    poster: new SlackWebhookPoster({ allowedPrefix: config.SLACK_WEBHOOK_URL_PREFIX || undefined }),
    reminders: windowTimers(env),
  };
}

export const handler = createHandler(announceDeps());
