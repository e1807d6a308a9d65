import { type AttributeValue, type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { translateAwsError } from './aws-errors';

/**
 * Every item of the table whose key starts with `prefix`, read strongly consistent across all the scan's
 * pages (the stage's table is small, and a list must show what was just written). AWS errors become
 * domain errors naming the Scan and the table.
 *
 * @example
 * const items = await scanKeyPrefix(client, 'waf-maintenance-prod', 'slackuser#');
 */
export async function scanKeyPrefix(
  client: DynamoDBClient,
  tableName: string,
  prefix: string,
): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  try {
    const pages = paginateScan(
      { client },
      {
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: prefix } },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
  } catch (error) {
    throw translateAwsError(error, { operation: 'Scan', resource: `table ${tableName}` });
  }
  return items;
}
