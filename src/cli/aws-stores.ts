import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSlackGrants } from '../adapters/aws/dynamodb-slack-grants';
import { DynamoDbTokenRegistry } from '../adapters/aws/dynamodb-token-registry';
import type { SlackGrants } from '../ports/slack-grants';
import type { TokenRegistry } from '../ports/token-registry';
import type { StackTarget } from './stack-target';

/*
 * The real stores in the stage's table. Kept in their own module and loaded only by the `token` and
 * `slack` commands, so `--help` and the HTTP commands start without paying for the AWS SDK.
 */

export function createAwsTokenRegistry(target: StackTarget): TokenRegistry {
  return new DynamoDbTokenRegistry(new DynamoDBClient({ region: target.region }), target.tableName);
}

export function createAwsSlackGrants(target: StackTarget): SlackGrants {
  return new DynamoDbSlackGrants(new DynamoDBClient({ region: target.region }), target.tableName);
}
