import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { SignatureSighting, SlackReplayGuard } from '../../ports/slack-replay-guard';
import { translateAwsError } from './aws-errors';

const PREFIX = 'slacksig#';

/**
 * The attribute the table's TimeToLiveSpecification names (serverless.yml), so records delete themselves
 * once their request can no longer pass the 5-minute window.
 */
export const REPLAY_EXPIRY_ATTRIBUTE = 'expiresAt';

/**
 * Records verified Slack signatures in the stage's table, one item per signature: `slacksig#<64 hex>` with
 * `expiresAt` (Unix seconds). The write is conditional on the item not existing, so DynamoDB decides
 * atomically which of two identical requests came first; the loser's ConditionalCheckFailedException is
 * the replay. An expired record that TTL has not yet deleted (it may take days) still refuses its
 * signature, which is harmless: that request is outside its window and fails verification first.
 *
 * @example
 * const guard = new DynamoDbSlackReplayGuard(new DynamoDBClient({}), 'waf-maintenance-prod');
 * await guard.firstSighting(signatureSighting(signature, timestamp)); // true, then false for the same one
 */
export class DynamoDbSlackReplayGuard implements SlackReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async firstSighting(sighting: SignatureSighting): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: `${PREFIX}${sighting.digest}` },
            [REPLAY_EXPIRY_ATTRIBUTE]: { N: String(sighting.expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw translateAwsError(error, { operation: 'PutItem', resource: `table ${this.tableName}` });
    }
  }
}
