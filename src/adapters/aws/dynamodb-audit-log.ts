import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { type Entry, encodeCursor, type HistoryPage, type HistoryQuery } from '../../domain/history';
import type { AuditLog } from '../../ports/audit-log';
import { translateAwsError } from './aws-errors';
import { ENTRY_PREFIX, entryFromImage, entryItem, HISTORY_INDEX, HISTORY_KEY, sortKey } from './history-keys';

export { HISTORY_INDEX };

/**
 * Entries live in the stage's table as `entry#<id>`, never overwritten. Each carries the index's keys
 * (`hk` = "history", `hs` = "<at>#<id>"), so a page is one Query of the index, newest first, never a scan.
 * One key for all entries is fine at a switch's rate of change (a partition takes 1,000 writes a second).
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(entry: Entry): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: entryItem(entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // The same entry, written by an earlier attempt whose answer was lost: it is there, as it should be.
      if (error instanceof ConditionalCheckFailedException) return;
      throw translateAwsError(error, { operation: 'PutItem', resource: `table ${this.tableName}` });
    }
  }

  /**
   * One Query of the index, newest first, for `limit` + 1 items (whether the extra one comes back says if there
   * is a next page). DynamoDB may stop a Query at 1 MB before `Limit` ("Paginating table query results"): the
   * page then goes on from LastEvaluatedKey, a bounded number of times, and if it is still short with more to
   * read, it ends with a cursor anyway, so no entry is ever hidden behind a `nextCursor: null`.
   */
  async page(query: HistoryQuery): Promise<HistoryPage> {
    const before = query.cursor ? sortKey(query.cursor.at, query.cursor.id) : null;
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    for (let read = 0; read < MAX_READS_PER_PAGE; read++) {
      try {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: HISTORY_INDEX,
            KeyConditionExpression: before === null ? 'hk = :hk' : 'hk = :hk AND hs < :before',
            ExpressionAttributeValues: {
              ':hk': { S: HISTORY_KEY },
              ...(before === null ? {} : { ':before': { S: before } }),
            },
            ScanIndexForward: false,
            Limit: query.limit + 1 - items.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        items.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } catch (error) {
        throw translateAwsError(error, { operation: 'Query', resource: `table ${this.tableName}` });
      }
      if (items.length > query.limit || startKey === undefined) break;
    }
    const page = items.slice(0, query.limit);
    // An item that is not a whole entry (edited by hand) is left out; the cursor still moves past it.
    const entries = page.map(entryFromImage).filter((entry): entry is Entry => entry !== null);
    const last = page.at(-1);
    const more = items.length > query.limit || startKey !== undefined;
    const after = { at: last?.at?.S ?? '', id: (last?.pk?.S ?? '').slice(ENTRY_PREFIX.length) };
    return { entries, nextCursor: more && last ? encodeCursor(after) : null };
  }
}

/** How many Queries one page may take when DynamoDB stops each at 1 MB (entries are bounded far below that). */
const MAX_READS_PER_PAGE = 5;
