import type { Entry } from '../../domain/history';
import { type EntryImage, entryFromImage } from './history-keys';

/**
 * The part of a DynamoDB Stream record read here; aws-lambda's `DynamoDBRecord` fits it. Written out so
 * that src/ needs no Lambda types.
 */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: EntryImage };
}

/**
 * The history entry a stream record inserted, as DynamoDbAuditLog wrote it, or null for anything else: an
 * update or removal, another kind of item (a change record, a grant), or an item that is not a whole entry
 * (a missing attribute, details that are not a JSON object, an action this code does not know). Never throws.
 *
 * @example
 * readStreamEntry({ eventName: 'INSERT', dynamodb: { NewImage: { pk: { S: 'entry#c1' }, at: { S: '2026-12-01T10:00:00.000Z' },
 *   actor: { S: 'deploy-bot' }, action: { S: 'maintenance.off' }, details: { S: '{"reason":null}' } } } });
 * // { id: 'c1', at: '2026-12-01T10:00:00.000Z', actor: 'deploy-bot', action: 'maintenance.off', details: { reason: null } }
 */
export function readStreamEntry(record: StreamRecord): Entry | null {
  return record.eventName === 'INSERT' ? entryFromImage(record.dynamodb?.NewImage) : null;
}
