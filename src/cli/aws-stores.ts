import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSlackGrants } from '../adapters/aws/dynamodb-slack-grants';
import { DynamoDbTokenRegistry } from '../adapters/aws/dynamodb-token-registry';
import type { SlackGrants } from '../ports/slack-grants';
import type { TokenRegistry } from '../ports/token-registry';
import { credentialsFor } from './aws-credentials';
import type { StackTarget } from './stack-target';

/*
 * The real stores in the stage's table. Kept in their own module and loaded only by the `token` and
 * `slack` commands, so `--help` and the HTTP commands start without paying for the AWS SDK. They resolve
 * their credentials before the first request, so a missing one fails at once and in words.
 */

type Env = Record<string, string | undefined>;

async function dynamoDb(target: StackTarget, env: Env): Promise<DynamoDBClient> {
  return new DynamoDBClient({ region: target.region, credentials: await credentialsFor(env, 'DYNAMODB') });
}

export async function createAwsTokenRegistry(target: StackTarget, env: Env): Promise<TokenRegistry> {
  return new DynamoDbTokenRegistry(await dynamoDb(target, env), target.tableName);
}

export async function createAwsSlackGrants(target: StackTarget, env: Env): Promise<SlackGrants> {
  return new DynamoDbSlackGrants(await dynamoDb(target, env), target.tableName);
}
