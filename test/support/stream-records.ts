import type { DynamoDBRecord } from 'aws-lambda';
import type { Entry } from '../../src/domain/history';
import { anEntry } from './history';

export { anEntry };

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
