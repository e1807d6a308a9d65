import { type Entry, HISTORY_ACTIONS, type HistoryAction, type Json } from '../../domain/history';

/**
 * How the history lives in the stage's table, in one place for the audit log (which writes and queries it)
 * and the stream reader (which announces it), without pulling the DynamoDB client into the announce bundle.
 * serverless.yml's index and stream filter name the same: `history`, `entry#`.
 */
export const ENTRY_PREFIX = 'entry#';
/** The global secondary index of the history. */
export const HISTORY_INDEX = 'history';
/** The index's partition key value, the same for every entry. */
export const HISTORY_KEY = 'history';

/** An item's attributes as the audit log writes them: strings only (a PutItem's Item, a stream's NewImage). */
export type EntryImage = { [name: string]: { S?: string } | undefined };

/** The index's sort key: time, then id, so text order is time order and no two entries tie. */
export const sortKey = (at: string, id: string) => `${at}#${id}`;

/**
 * An entry as an item of the table: its own key, the index's keys, and the details as JSON text.
 *
 * @example
 * entryItem(entry).pk // { S: 'entry#c1' }
 */
export function entryItem(entry: Entry): { [name: string]: { S: string } } {
  return {
    pk: { S: `${ENTRY_PREFIX}${entry.id}` },
    hk: { S: HISTORY_KEY },
    hs: { S: sortKey(entry.at, entry.id) },
    at: { S: entry.at },
    actor: { S: entry.actor },
    action: { S: entry.action },
    details: { S: JSON.stringify(entry.details) },
  };
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
 * The entry an item holds, or null for anything that is not a whole entry: another kind of item (a change
 * record, a grant), a missing attribute, details that are not a JSON object, an action this code does not
 * know. Never throws.
 *
 * @example
 * entryFromImage(entryItem(entry)) // entry
 * entryFromImage({ pk: { S: 'change#c1' } }) // null
 */
export function entryFromImage(image: EntryImage | undefined): Entry | null {
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
