import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/errors';
import { isRole } from '../../domain/roles';
import { type TokenRecord, type TokenRegistry, tokenLookupKey } from '../../ports/token-registry';
import { translateAwsError } from './aws-errors';
import { scanKeyPrefix } from './dynamodb-scan';

/**
 * Tokens live in the stage's table twice, written and deleted together in one transaction:
 * `token#<lookup key>` (the lookup on every request: the hash's first 16 hex digits) and `tokenname#<name>`
 * (unique names, revoke by name).
 */
export class DynamoDbTokenRegistry implements TokenRegistry {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async findByHash(hash: string): Promise<TokenRecord | null> {
    const item = await this.getItem(`token#${tokenLookupKey(hash)}`);
    return item ? toRecord(item) : null;
  }

  async create(record: TokenRecord): Promise<void> {
    const attributes = {
      name: { S: record.name },
      role: { S: record.role },
      hash: { S: record.hash },
      createdAt: { S: record.createdAt },
    };
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: { S: `token#${tokenLookupKey(record.hash)}` }, ...attributes },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: { S: `tokenname#${record.name}` }, ...attributes },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError(
          `A token named "${record.name}" already exists; revoke it first or pick another name.`,
        );
      }
      throw translateAwsError(error, {
        operation: 'TransactWriteItems',
        resource: `table ${this.tableName}`,
      });
    }
  }

  async list(): Promise<TokenRecord[]> {
    const items = await scanKeyPrefix(this.client, this.tableName, 'tokenname#');
    const records = items.flatMap((item) => toRecord(item) ?? []);
    return records.sort((a, b) => a.name.localeCompare(b.name));
  }

  async revoke(name: string): Promise<boolean> {
    const item = await this.getItem(`tokenname#${name}`);
    const hash = item?.hash?.S;
    if (!hash) return false;
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: { pk: { S: `token#${tokenLookupKey(hash)}` } } } },
            { Delete: { TableName: this.tableName, Key: { pk: { S: `tokenname#${name}` } } } },
          ],
        }),
      );
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'TransactWriteItems',
        resource: `table ${this.tableName}`,
      });
    }
    return true;
  }

  private async getItem(pk: string): Promise<Record<string, AttributeValue> | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
      );
      return out.Item;
    } catch (error) {
      throw translateAwsError(error, { operation: 'GetItem', resource: `table ${this.tableName}` });
    }
  }
}

function toRecord(item: Record<string, AttributeValue>): TokenRecord | null {
  const role = item.role?.S;
  if (!item.name?.S || !item.hash?.S || !isRole(role)) return null;
  return { name: item.name.S, role, hash: item.hash.S, createdAt: item.createdAt?.S ?? '' };
}
