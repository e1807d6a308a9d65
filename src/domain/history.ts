/**
 * The history: one entry for every change, from every entry point (the API, the CLI through it, Slack),
 * written through the audit port (src/ports/audit-log.ts) once the change is applied. A refused request,
 * or one that changed nothing, leaves none.
 */

/** What a change did, as `Entry.action` names it (CONTRACT: `maintenance.on`, `bypass.update`, ...). */
export const HISTORY_ACTIONS = [
  'maintenance.on',
  'maintenance.off',
  'bypass.update',
  'exemptions.update',
  'window.create',
  'window.cancel',
  /** A window's end that changed nothing: someone had taken over, or its start never came in time. */
  'window.end',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** Plain JSON: what an entry's details may hold, so any store can keep them as written. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Entry {
  id: string;
  /** RFC 3339, UTC, milliseconds: when the change was made (a toggle's: when its change record was). */
  at: string;
  /** Who: a token's name, `slack:<name> (<user ID>)`, or `window:<id>`. */
  actor: string;
  action: HistoryAction;
  details: { [key: string]: Json };
}

/** Where a page of the history starts: after the entry with this time and id (newest first). */
export interface HistoryCursor {
  at: string;
  id: string;
}

export interface HistoryQuery {
  limit: number;
  cursor: HistoryCursor | null;
}

export interface HistoryPage {
  entries: Entry[];
  /** Pass it back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** `limit` of GET /maintenance/history: 1 to 100, 20 when not given. */
export const HISTORY_LIMIT = { min: 1, max: 100, default: 20 } as const;

/**
 * The cursor as clients see it: opaque, URL-safe. It names the last entry of a page, so the next page is
 * a query for what is older, however many entries were written in between.
 *
 * @example
 * encodeCursor({ at: '2026-12-01T10:00:00.000Z', id: 'c1' }) // 'WyIyMDI2LTEyLTAxVDEwOjAwOjAwLjAwMFoiLCJjMSJd'
 */
export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** The cursor a client sent back, or null when it is not one this API gave out. */
export function decodeCursor(text: string): HistoryCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [at, id] = parsed;
  if (typeof at !== 'string' || typeof id !== 'string') return null;
  // As entries are written (toISOString): compared as text with their sort keys, so no other spelling.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(Date.parse(at))) return null;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return null;
  return { at, id };
}

/**
 * How many of a batch's addresses or paths its entry names, per list; `addedCount` and `removedCount` then say
 * how many there were. An item may hold 400 KB (DynamoDB), and 10,000 IPv6 addresses would not fit.
 */
export const MAX_LISTED_IN_ENTRY = 100;

/**
 * A batch's change as its entry keeps it: both lists whole, or, past the limit, their first 100 and the counts.
 *
 * @example
 * batchDetails({ added: ['192.0.2.1/32'], removed: [] }) // { added: ['192.0.2.1/32'], removed: [] }
 */
export function batchDetails(change: { added: string[]; removed: string[] }): Entry['details'] {
  const { added, removed } = change;
  if (added.length <= MAX_LISTED_IN_ENTRY && removed.length <= MAX_LISTED_IN_ENTRY) return { added, removed };
  return {
    added: added.slice(0, MAX_LISTED_IN_ENTRY),
    removed: removed.slice(0, MAX_LISTED_IN_ENTRY),
    addedCount: added.length,
    removedCount: removed.length,
  };
}

/**
 * One list of a batch entry: the items it names and how many there were (its count, or its length).
 *
 * @example
 * listOf({ added: ['a'], addedCount: 250, removed: [] }, 'added') // { items: ['a'], count: 250 }
 */
export function listOf(
  details: Entry['details'],
  verb: 'added' | 'removed',
): { items: string[]; count: number } {
  const value = details[verb];
  const items = Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  const count = details[`${verb}Count`];
  return { items, count: typeof count === 'number' && count >= items.length ? count : items.length };
}
