import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../../src/adapters/aws/clients';
import { DynamoDbSlackGrants } from '../../src/adapters/aws/dynamodb-slack-grants';
import { DynamoDbSlackReplayGuard } from '../../src/adapters/aws/dynamodb-slack-replay-guard';
import { LambdaJobQueue } from '../../src/adapters/aws/lambda-job-queue';
import { SsmSecret } from '../../src/adapters/aws/ssm-secret';
import { jsonLogger } from '../../src/adapters/json-logger';
import { loadSlackConfig } from '../../src/config';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type { SecretSource } from '../../src/ports/secret-source';
import type { SlackGrants } from '../../src/ports/slack-grants';
import type { SlackReplayGuard } from '../../src/ports/slack-replay-guard';
import type { SlackJobQueue } from '../../src/ports/slack-worker';

/** What the slash command's acknowledgement needs: no WAF client, so its bundle and cold start stay small. */
export interface SlackAckDeps {
  secret: SecretSource;
  replays: SlackReplayGuard;
  grants: SlackGrants;
  queue: SlackJobQueue;
  clock: Clock;
  /** Refusals and failures, as JSON lines; the handler falls back to the same logger when tests give none. */
  logger?: Logger;
  /** One more origin admitted for response_url besides Slack's (the local stack's fake Slack). */
  responseUrlPrefix: string | undefined;
}

/**
 * The acknowledgement's composition root: config parsed and clients built once per container. `endpoint`
 * points the clients elsewhere than AWS_ENDPOINT_URL (tests put a fault proxy there).
 */
export function slackAckDeps(
  env: NodeJS.ProcessEnv = process.env,
  options: { endpoint?: string } = {},
): SlackAckDeps {
  const config = loadSlackConfig(env);
  const aws = clientConfig(config.AWS_REGION, options.endpoint);
  const dynamodb = new DynamoDBClient(aws);
  return {
    secret: new SsmSecret(new SSMClient(aws), config.SLACK_SIGNING_SECRET_PARAMETER, systemClock),
    replays: new DynamoDbSlackReplayGuard(dynamodb, config.TABLE_NAME),
    grants: new DynamoDbSlackGrants(dynamodb, config.TABLE_NAME),
    queue: new LambdaJobQueue(new LambdaClient(aws), config.SLACK_WORKER_FUNCTION),
    clock: systemClock,
    logger: jsonLogger,
    // The template passes '' when the stage sets no prefix: that admits nothing more.
    responseUrlPrefix: config.SLACK_RESPONSE_URL_PREFIX || undefined,
  };
}
