import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { jsonLogger } from '../src/adapters/json-logger';
import { HttpSlackResponder } from '../src/adapters/slack/http-responder';
import { Deadline } from '../src/domain/deadline';
import { problemMessage } from '../src/domain/slack-messages';
import type { Logger } from '../src/ports/logger';
import type { SlackJob } from '../src/ports/slack-worker';
import { type RunSlackDeps, runSlackCommand } from '../src/use-cases/run-slack-command';
import { answerInTime, requestDeadline } from './lib/answer-in-time';
import { awsDeps } from './lib/aws-deps';
import { windowDeps } from './lib/window-deps';

/** Kept back from the worker's time for its last reply, which says what became of a command deadline short. */
export const FINAL_REPLY_MS = 5_000;

/**
 * The Slack worker, invoked asynchronously by POST /slack/command with a verified, granted, parsed job.
 * It runs under a deadline like an HTTP request: when the time is up, it stops (nothing the job started
 * may change anything afterwards) and tells the user what became of the change. It never throws: a failed
 * async invocation would be retried and repeat the command's messages.
 */
export function createHandler(deps: Omit<RunSlackDeps, 'deadline' | 'logger'> & { logger?: Logger }) {
  const logger = deps.logger ?? jsonLogger;
  return middy<SlackJob, void, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(async (job, context) => {
    const lambda = requestDeadline(context, deps.clock);
    const deadline = new Deadline(deps.clock, lambda.at - FINAL_REPLY_MS);
    try {
      await answerInTime(deadline, () => runSlackCommand({ ...deps, deadline, logger }, job));
    } catch {
      // Only the time running out gets here: runSlackCommand reports its own failures.
      await deps.responder
        .post(
          job.responseUrl,
          problemMessage(`The command did not finish in time. ${deadline.outcome().detail}`),
        )
        .catch((error: unknown) => logger.error('slack-reply-failed', { error }));
    }
  });
}

// SLACK_RESPONSE_URL_PREFIX admits the local stack's fake Slack (http://127.0.0.1:...); unset in AWS.
export const handler = createHandler({
  ...awsDeps(),
  ...windowDeps(),
  responder: new HttpSlackResponder(fetch, process.env.SLACK_RESPONSE_URL_PREFIX || undefined),
});
