import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { windowAnswer } from '../../api/schemas';
import { MisconfiguredError, StaleLockError } from '../../domain/errors';
import type { MaintenanceWindow } from '../../domain/windows';
import type { Calendar, WindowStore } from '../../ports/window-store';
import { translateAwsError } from './aws-errors';

/** The calendar's item: `pk = calendar`, the windows as JSON, and a version each write raises by one. */
export const CALENDAR_KEY = 'calendar';

// The calendar's windows are read with the API's own window schema: one definition of a window's shape.
const windowShape = z.array(windowAnswer);

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** The pending windows in the stage's table, one item replaced whole under a version condition. */
export class DynamoDbWindowStore implements WindowStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(): Promise<Calendar> {
    let item: Record<string, AttributeValue> | undefined;
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: CALENDAR_KEY } },
          ConsistentRead: true,
        }),
      );
      item = out.Item;
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'GetItem',
        resource: `calendar in table ${this.tableName}`,
      });
    }
    if (!item) return { windows: [], version: 0 };
    const parsed = windowShape.safeParse(parseJson(item.windows?.S));
    const version = Number(item.version?.N);
    // A calendar this code did not write is not read as empty: that would let windows overlap.
    if (!parsed.success || !Number.isSafeInteger(version)) {
      throw new MisconfiguredError(
        `The calendar in table ${this.tableName} is not one this switch wrote; windows cannot be read or planned.`,
      );
    }
    return { windows: parsed.data, version };
  }

  async write(windows: MaintenanceWindow[], version: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: CALENDAR_KEY },
            windows: { S: JSON.stringify(windows) },
            version: { N: String(version + 1) },
          },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
          ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': { N: String(version) } } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StaleLockError({ cause: error });
      throw translateAwsError(error, {
        operation: 'PutItem',
        resource: `calendar in table ${this.tableName}`,
      });
    }
  }
}
