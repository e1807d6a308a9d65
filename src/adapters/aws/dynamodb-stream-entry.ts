import { type Entry, HISTORY_ACTIONS, type HistoryAction, type Json } from '../../domain/history';
import { ENTRY_PREFIX } from './history-keys';

/**
 * The part of a DynamoDB Stream record read here; aws-lambda's `DynamoDBRecord` fits it. Written out so
 * that src/ needs no Lambda types.
 */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: { [name: string]: { S?: string } | undefined } };
}

const isAction = (value: string): value is HistoryAction =>
  (HISTORY_ACTIONS as readonly string[]).includes(value);

function detailsOf(json: string): Entry['details'] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as { [key: string]: Json })
    : null;
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
  if (record.eventName !== 'INSERT') return null;
  const image = record.dynamodb?.NewImage;
  const pk = image?.pk?.S;
  const at = image?.at?.S;
  const actor = image?.actor?.S;
  const action = image?.action?.S;
  const details = image?.details?.S;
  if (!pk?.startsWith(ENTRY_PREFIX) || pk.length === ENTRY_PREFIX.length) return null;
  if (!at || Number.isNaN(Date.parse(at)) || !actor || !action || !isAction(action) || details === undefined)
    return null;
  const parsed = detailsOf(details);
  if (parsed === null) return null;
  return { id: pk.slice(ENTRY_PREFIX.length), at, actor, action, details: parsed };
}
