import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbAuditLog, HISTORY_INDEX } from '../../../src/adapters/aws/dynamodb-audit-log';
import { decodeCursor, type Entry } from '../../../src/domain/history';

// The exact inputs: a page is one Query of the index (never a Scan, which moto would answer just as well),
// and an entry is never overwritten.

const TABLE = 'waf-maintenance-t';
const ENTRY: Entry = {
  id: 'c1',
  at: '2026-12-01T10:00:00.000Z',
  actor: 'deploy-bot',
  action: 'maintenance.on',
  details: { reason: 'DB upgrade', retryAfterSeconds: 1800 },
};

const item = (id: string, at: string) => ({
  pk: { S: `entry#${id}` },
  hk: { S: 'history' },
  hs: { S: `${at}#${id}` },
  at: { S: at },
  actor: { S: 'deploy-bot' },
  action: { S: 'maintenance.off' },
  details: { S: '{}' },
});

describe('DynamoDbAuditLog', () => {
  const dynamodb = mockClient(DynamoDBClient);
  const log = () => new DynamoDbAuditLog(new DynamoDBClient({ region: 'us-east-1' }), TABLE);

  beforeEach(() => dynamodb.reset());

  it('writes an entry once, under the index keys, refusing to overwrite one of the same id', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    await log().record(ENTRY);
    expect(dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: 'entry#c1' },
        hk: { S: 'history' },
        hs: { S: '2026-12-01T10:00:00.000Z#c1' },
        at: { S: ENTRY.at },
        actor: { S: 'deploy-bot' },
        action: { S: 'maintenance.on' },
        details: { S: '{"reason":"DB upgrade","retryAfterSeconds":1800}' },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('takes an entry already there (an earlier attempt whose answer was lost) as written', async () => {
    dynamodb
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await expect(log().record(ENTRY)).resolves.toBeUndefined();
  });

  it('reads the first page with one Query of the index, newest first, one more than the limit', async () => {
    dynamodb.on(QueryCommand).resolves({
      Items: [item('c3', '2026-12-01T10:03:00.000Z'), item('c2', '2026-12-01T10:02:00.000Z')],
    });
    const page = await log().page({ limit: 1, cursor: null });
    expect(dynamodb.commandCalls(ScanCommand)).toHaveLength(0);
    expect(dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        IndexName: HISTORY_INDEX,
        KeyConditionExpression: 'hk = :hk',
        ExpressionAttributeValues: { ':hk': { S: 'history' } },
        ScanIndexForward: false,
        Limit: 2,
      },
    ]);
    expect(page.entries.map((e) => e.id)).toEqual(['c3']);
    expect(decodeCursor(page.nextCursor ?? '')).toEqual({ at: '2026-12-01T10:03:00.000Z', id: 'c3' });
  });

  it('reads the next page as what is older than the cursor, and says when it is the last', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [item('c2', '2026-12-01T10:02:00.000Z')] });
    const page = await log().page({ limit: 5, cursor: { at: '2026-12-01T10:03:00.000Z', id: 'c3' } });
    expect(dynamodb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'hk = :hk AND hs < :before',
      ExpressionAttributeValues: { ':hk': { S: 'history' }, ':before': { S: '2026-12-01T10:03:00.000Z#c3' } },
      Limit: 6,
    });
    expect(page).toEqual({
      entries: [
        {
          id: 'c2',
          at: '2026-12-01T10:02:00.000Z',
          actor: 'deploy-bot',
          action: 'maintenance.off',
          details: {},
        },
      ],
      nextCursor: null,
    });
  });

  it('goes on from LastEvaluatedKey when DynamoDB stops a Query at 1 MB before the limit', async () => {
    const stoppedAt = {
      pk: { S: 'entry#c3' },
      hk: { S: 'history' },
      hs: { S: '2026-12-01T10:03:00.000Z#c3' },
    };
    dynamodb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('c3', '2026-12-01T10:03:00.000Z')], LastEvaluatedKey: stoppedAt })
      .resolvesOnce({
        Items: [item('c2', '2026-12-01T10:02:00.000Z'), item('c1', '2026-12-01T10:01:00.000Z')],
      });
    const page = await log().page({ limit: 2, cursor: null });
    const inputs = dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.Limit, i.ExclusiveStartKey])).toEqual([
      [3, undefined],
      [2, stoppedAt],
    ]);
    expect(page.entries.map((e) => e.id)).toEqual(['c3', 'c2']);
    expect(decodeCursor(page.nextCursor ?? '')).toEqual({ at: '2026-12-01T10:02:00.000Z', id: 'c2' });
  });

  it('ends a page that stays short with a cursor, never with null, while DynamoDB says there is more', async () => {
    let n = 9;
    dynamodb.on(QueryCommand).callsFake(() => {
      n -= 1;
      const at = `2026-12-01T10:0${n}:00.000Z`;
      return { Items: [item(`c${n}`, at)], LastEvaluatedKey: { pk: { S: `entry#c${n}` } } };
    });
    const page = await log().page({ limit: 20, cursor: null });
    expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(5);
    expect(page.entries).toHaveLength(5);
    expect(decodeCursor(page.nextCursor ?? '')).toEqual({ at: '2026-12-01T10:04:00.000Z', id: 'c4' });
  });
});
