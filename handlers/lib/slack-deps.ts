import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../../src/adapters/aws/clients';
import { DynamoDbSlackGrants } from '../../src/adapters/aws/dynamodb-slack-grants';
import { LambdaJobQueue } from '../../src/adapters/aws/lambda-job-queue';
import { SsmSecret } from '../../src/adapters/aws/ssm-secret';
import { loadSlackConfig } from '../../src/config';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { SecretSource } from '../../src/ports/secret-source';
import type { SlackGrants } from '../../src/ports/slack-grants';
import type { SlackJobQueue } from '../../src/ports/slack-worker';

/** What the slash command's acknowledgement needs: no WAF client, so its bundle and cold start stay small. */
export interface SlackAckDeps {
  secret: SecretSource;
  grants: SlackGrants;
  queue: SlackJobQueue;
  clock: Clock;
}

/** The acknowledgement's composition root: config parsed and clients built once per container. */
export function slackAckDeps(env: NodeJS.ProcessEnv = process.env): SlackAckDeps {
  const config = loadSlackConfig(env);
  const aws = clientConfig(config.AWS_REGION);
  return {
    secret: new SsmSecret(new SSMClient(aws), config.SLACK_SIGNING_SECRET_PARAMETER, systemClock),
    grants: new DynamoDbSlackGrants(new DynamoDBClient(aws), config.TABLE_NAME),
    queue: new LambdaJobQueue(new LambdaClient(aws), config.SLACK_WORKER_FUNCTION),
    clock: systemClock,
  };
}
