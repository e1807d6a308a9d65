import middy from '@middy/core';
import { HttpSlackResponder } from '../src/adapters/slack/http-responder';
import type { SlackJob } from '../src/ports/slack-worker';
import { type RunSlackDeps, runSlackCommand } from '../src/use-cases/run-slack-command';
import { awsDeps } from './lib/aws-deps';

/**
 * The Slack worker, invoked asynchronously by POST /slack/command with a verified, granted, parsed job.
 * It never throws: a failed async invocation would be retried and repeat the command's messages.
 */
export function createHandler(deps: RunSlackDeps) {
  return middy<SlackJob, void>().handler(async (job) => runSlackCommand(deps, job));
}

// SLACK_RESPONSE_URL_PREFIX admits the local stack's fake Slack (http://127.0.0.1:...); unset in AWS.
export const handler = createHandler({
  ...awsDeps(),
  responder: new HttpSlackResponder(fetch, process.env.SLACK_RESPONSE_URL_PREFIX || undefined),
});
