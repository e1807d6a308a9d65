import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbTokenRegistry } from '../adapters/aws/dynamodb-token-registry';
import type { TokenRegistry } from '../ports/token-registry';
import type { TokenTarget } from './token-target';

/**
 * The real token registry. Kept in its own module and loaded only by the token commands, so `--help` and
 * the HTTP commands start without paying for the AWS SDK.
 */
export function createAwsTokenRegistry(target: TokenTarget): TokenRegistry {
  return new DynamoDbTokenRegistry(new DynamoDBClient({ region: target.region }), target.tableName);
}
