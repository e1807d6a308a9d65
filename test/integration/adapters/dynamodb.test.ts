import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbChangeLog } from '../../../src/adapters/aws/dynamodb-change-log';
import { DynamoDbTokenRegistry } from '../../../src/adapters/aws/dynamodb-token-registry';
import { ConflictError, MisconfiguredError } from '../../../src/domain/errors';
import { provisionTestStack } from '../../support/stack';

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });

describe('DynamoDbChangeLog against moto', () => {
  it('stores a change and finds it by id, nulls included', async () => {
    const { tableName } = await provisionTestStack();
    const log = new DynamoDbChangeLog(dynamodb, tableName);
    const change = {
      id: 'c1',
      enabled: false,
      reason: null,
      retryAfterSeconds: null,
      changedAt: '2026-11-23T10:00:00.000Z',
      changedBy: 'ops',
    };
    await log.record(change);
    await log.record({ ...change, id: 'c2', enabled: true, reason: 'Upgrade', retryAfterSeconds: 1800 });
    expect(await log.find('c1')).toEqual(change);
    expect(await log.find('c2')).toMatchObject({ enabled: true, reason: 'Upgrade', retryAfterSeconds: 1800 });
    expect(await log.find('missing')).toBeNull();
  });

  it('never overwrites a record', async () => {
    const { tableName } = await provisionTestStack();
    const log = new DynamoDbChangeLog(dynamodb, tableName);
    const change = {
      id: 'same',
      enabled: true,
      reason: 'a',
      retryAfterSeconds: 1,
      changedAt: 'x',
      changedBy: 'y',
    };
    await log.record(change);
    await expect(log.record({ ...change, reason: 'b' })).rejects.toThrow();
    expect((await log.find('same'))?.reason).toBe('a');
  });

  it('reports a missing table as MisconfiguredError', async () => {
    const log = new DynamoDbChangeLog(dynamodb, 'no-such-table');
    await expect(log.find('x')).rejects.toBeInstanceOf(MisconfiguredError);
  });
});

describe('DynamoDbTokenRegistry against moto', () => {
  const record = (name: string, hash: string) => ({
    name,
    role: 'operator' as const,
    hash,
    createdAt: '2026-11-23T10:00:00.000Z',
  });

  it('creates, finds by hash, lists by name and revokes', async () => {
    const { tableName } = await provisionTestStack();
    const tokens = new DynamoDbTokenRegistry(dynamodb, tableName);
    await tokens.create(record('b-bot', 'b'.repeat(64)));
    await tokens.create({ ...record('a-admin', 'a'.repeat(64)), role: 'admin' });

    expect(await tokens.findByHash('b'.repeat(64))).toEqual(record('b-bot', 'b'.repeat(64)));
    expect((await tokens.list()).map((t) => [t.name, t.role])).toEqual([
      ['a-admin', 'admin'],
      ['b-bot', 'operator'],
    ]);

    expect(await tokens.revoke('b-bot')).toBe(true);
    expect(await tokens.findByHash('b'.repeat(64))).toBeNull();
    expect(await tokens.revoke('b-bot')).toBe(false);
    expect((await tokens.list()).map((t) => t.name)).toEqual(['a-admin']);
  });

  it('refuses a second token with the same name and keeps the first', async () => {
    const { tableName } = await provisionTestStack();
    const tokens = new DynamoDbTokenRegistry(dynamodb, tableName);
    await tokens.create(record('ci', 'c'.repeat(64)));
    await expect(tokens.create(record('ci', 'd'.repeat(64)))).rejects.toBeInstanceOf(ConflictError);
    expect(await tokens.findByHash('d'.repeat(64))).toBeNull();
    expect(await tokens.findByHash('c'.repeat(64))).not.toBeNull();
  });
});
