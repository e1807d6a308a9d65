import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbSlackGrants } from '../../../src/adapters/aws/dynamodb-slack-grants';
import { MisconfiguredError } from '../../../src/domain/errors';
import { provisionTestStack } from '../../support/stack';

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });

afterAll(() => dynamodb.destroy());

describe('DynamoDbSlackGrants against moto', () => {
  let tableName: string;
  let grants: DynamoDbSlackGrants;

  beforeEach(async () => {
    ({ tableName } = await provisionTestStack('sg'));
    grants = new DynamoDbSlackGrants(dynamodb, tableName);
  });

  it('grants a role that roleOf then reads back, stored under slackuser#<id>', async () => {
    await grants.grant({ userId: 'U024BE7LH', role: 'admin', grantedAt: '2026-03-01T10:00:00.000Z' });

    expect(await grants.roleOf('U024BE7LH')).toBe('admin');
    const raw = await dynamodb.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'slackuser#U024BE7LH' } } }),
    );
    expect(raw.Item).toEqual({
      pk: { S: 'slackuser#U024BE7LH' },
      userId: { S: 'U024BE7LH' },
      role: { S: 'admin' },
      grantedAt: { S: '2026-03-01T10:00:00.000Z' },
    });
  });

  it('replaces the role when granting again', async () => {
    await grants.grant({ userId: 'U024BE7LH', role: 'admin', grantedAt: '2026-03-01T10:00:00.000Z' });

    await grants.grant({ userId: 'U024BE7LH', role: 'operator', grantedAt: '2026-03-02T10:00:00.000Z' });

    expect(await grants.roleOf('U024BE7LH')).toBe('operator');
    expect(await grants.list()).toEqual([
      { userId: 'U024BE7LH', role: 'operator', grantedAt: '2026-03-02T10:00:00.000Z' },
    ]);
  });

  it('lists only Slack grants, sorted by user ID', async () => {
    await grants.grant({ userId: 'W0ZED', role: 'operator', grantedAt: '2026-03-01T10:00:00.000Z' });
    await grants.grant({ userId: 'U024BE7LH', role: 'admin', grantedAt: '2026-03-01T11:00:00.000Z' });
    await grants.grant({ userId: 'U0AAA', role: 'operator', grantedAt: '2026-03-01T12:00:00.000Z' });
    // Another kind of item in the same table must not show up as a grant.
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'tokenname#ci' }, name: { S: 'ci' }, role: { S: 'admin' } },
      }),
    );

    expect(await grants.list()).toEqual([
      { userId: 'U024BE7LH', role: 'admin', grantedAt: '2026-03-01T11:00:00.000Z' },
      { userId: 'U0AAA', role: 'operator', grantedAt: '2026-03-01T12:00:00.000Z' },
      { userId: 'W0ZED', role: 'operator', grantedAt: '2026-03-01T10:00:00.000Z' },
    ]);
  });

  it('revoke removes the grant and reports true, then false once nothing is left', async () => {
    await grants.grant({ userId: 'U024BE7LH', role: 'admin', grantedAt: '2026-03-01T10:00:00.000Z' });

    expect(await grants.revoke('U024BE7LH')).toBe(true);
    expect(await grants.roleOf('U024BE7LH')).toBeNull();
    expect(await grants.revoke('U024BE7LH')).toBe(false);
    expect(await grants.list()).toEqual([]);
  });

  it('reads null for a user who was never granted', async () => {
    expect(await grants.roleOf('U0NOBODY')).toBeNull();
  });

  it('reads an item with a role it does not know as no grant, and leaves it out of the list', async () => {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'slackuser#U0BOGUS' },
          userId: { S: 'U0BOGUS' },
          role: { S: 'superadmin' },
          grantedAt: { S: '2026-03-01T10:00:00.000Z' },
        },
      }),
    );

    expect(await grants.roleOf('U0BOGUS')).toBeNull();
    expect(await grants.list()).toEqual([]);
    // It is still an item, so revoking it cleans it up and says so.
    expect(await grants.revoke('U0BOGUS')).toBe(true);
  });

  it('reports a missing table as MisconfiguredError', async () => {
    const missing = new DynamoDbSlackGrants(dynamodb, 'no-such-table');

    await expect(missing.roleOf('U024BE7LH')).rejects.toBeInstanceOf(MisconfiguredError);
    await expect(missing.list()).rejects.toBeInstanceOf(MisconfiguredError);
  });
});
