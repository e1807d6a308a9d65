import type { DynamoDBRecord } from 'aws-lambda';
import type { Entry } from '../../src/domain/history';

/** An entry as the use cases write it, with overrides. */
export function anEntry(overrides: Partial<Entry> = {}): Entry {
  return {
    id: 'c1',
    at: '2026-12-01T10:00:00.000Z',
    actor: 'deploy-bot',
    action: 'maintenance.on',
    details: { reason: 'Database upgrade', retryAfterSeconds: 1800 },
    ...overrides,
  };
}

/**
 * The stream record of a new entry, as DynamoDB sends it for the item DynamoDbAuditLog writes (NEW_IMAGE);
 * `image` overrides its attributes, `record` the rest.
 */
export function entryRecord(
  entry: Entry = anEntry(),
  options: {
    image?: NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
    record?: Partial<DynamoDBRecord>;
  } = {},
): DynamoDBRecord {
  return {
    eventID: `event-${entry.id}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { pk: { S: `entry#${entry.id}` } },
      NewImage: {
        pk: { S: `entry#${entry.id}` },
        hk: { S: 'history' },
        hs: { S: `${entry.at}#${entry.id}` },
        at: { S: entry.at },
        actor: { S: entry.actor },
        action: { S: entry.action },
        details: { S: JSON.stringify(entry.details) },
        ...options.image,
      },
      StreamViewType: 'NEW_IMAGE',
    },
    ...options.record,
  };
}
