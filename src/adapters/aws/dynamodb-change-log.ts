import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ChangeRecord } from '../../domain/maintenance-status';
import type { ChangeLog } from '../../ports/change-log';
import { translateAwsError } from './aws-errors';
import { nullableNumber, nullableString, readNullableNumber, readNullableString } from './dynamodb-values';

/** Change records live in the stage's table as `change#<id>`; they are never overwritten (an audit trail). */
export class DynamoDbChangeLog implements ChangeLog {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(change: ChangeRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: `change#${change.id}` },
            enabled: { BOOL: change.enabled },
            reason: nullableString(change.reason),
            retryAfterSeconds: nullableNumber(change.retryAfterSeconds),
            changedAt: { S: change.changedAt },
            changedBy: { S: change.changedBy },
            // Only a window's changes carry these; a plain toggle's item is as it always was.
            ...(change.windowId ? { windowId: { S: change.windowId } } : {}),
            ...(change.endsAt ? { endsAt: { S: change.endsAt } } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      throw translateAwsError(error, { operation: 'PutItem', resource: `table ${this.tableName}` });
    }
  }

  async find(id: string): Promise<ChangeRecord | null> {
    let item: Record<string, AttributeValue> | undefined;
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: `change#${id}` } },
          ConsistentRead: true,
        }),
      );
      item = out.Item;
    } catch (error) {
      throw translateAwsError(error, { operation: 'GetItem', resource: `table ${this.tableName}` });
    }
    if (!item) return null;
    return {
      id,
      enabled: item.enabled?.BOOL ?? false,
      reason: readNullableString(item.reason),
      retryAfterSeconds: readNullableNumber(item.retryAfterSeconds),
      changedAt: item.changedAt?.S ?? '',
      changedBy: item.changedBy?.S ?? '',
      ...(item.windowId?.S ? { windowId: item.windowId.S } : {}),
      ...(item.endsAt?.S ? { endsAt: item.endsAt.S } : {}),
    };
  }
}
