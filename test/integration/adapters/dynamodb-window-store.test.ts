import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CALENDAR_KEY, DynamoDbWindowStore } from '../../../src/adapters/aws/dynamodb-window-store';
import { MisconfiguredError, StaleLockError } from '../../../src/domain/errors';
import { provisionTestStack } from '../../support/stack';
import { aWindow } from '../../support/window-fakes';

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });

describe('DynamoDbWindowStore against moto', () => {
  it('reads an empty calendar at version 0, then each write raises the version by one', async () => {
    const { tableName } = await provisionTestStack();
    const store = new DynamoDbWindowStore(dynamodb, tableName);
    expect(await store.read()).toEqual({ windows: [], version: 0 });
    await store.write([aWindow()], 0);
    expect(await store.read()).toEqual({ windows: [aWindow()], version: 1 });
    await store.write([], 1);
    expect(await store.read()).toEqual({ windows: [], version: 2 });
  });

  it('refuses a write under a version that is no longer current, writing nothing', async () => {
    const { tableName } = await provisionTestStack();
    const store = new DynamoDbWindowStore(dynamodb, tableName);
    await store.write([aWindow({ id: 'first' })], 0);
    // A second writer that read the empty calendar, and one that read version 1 after it moved on.
    await expect(store.write([aWindow({ id: 'rival' })], 0)).rejects.toBeInstanceOf(StaleLockError);
    await store.write([aWindow({ id: 'second' })], 1);
    await expect(store.write([], 1)).rejects.toBeInstanceOf(StaleLockError);
    expect((await store.read()).windows.map((w) => w.id)).toEqual(['second']);
  });

  it('refuses to read a calendar item it did not write, rather than reading it as empty', async () => {
    const { tableName } = await provisionTestStack();
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: CALENDAR_KEY }, windows: { S: '[{"id":1}]' }, version: { N: '3' } },
      }),
    );
    await expect(new DynamoDbWindowStore(dynamodb, tableName).read()).rejects.toBeInstanceOf(
      MisconfiguredError,
    );
  });
});
