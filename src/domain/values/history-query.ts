import { decodeCursor, HISTORY_LIMIT, type HistoryQuery } from '../history';
import type { ValueCheck } from './value-check';

/**
 * `limit` as a query string carries it: digits only, 1 to 100.
 *
 * @example
 * checkHistoryLimit('50') // { ok: true, value: 50 }
 * checkHistoryLimit('0') // { ok: false, message: 'must be a whole number from 1 to 100' }
 */
export function checkHistoryLimit(input: string): ValueCheck<number> {
  const value = /^\d{1,3}$/.test(input) ? Number(input) : Number.NaN;
  return value >= HISTORY_LIMIT.min && value <= HISTORY_LIMIT.max
    ? { ok: true, value }
    : { ok: false, message: `must be a whole number from ${HISTORY_LIMIT.min} to ${HISTORY_LIMIT.max}` };
}

/** A query's field and what is wrong with it. */
export interface QueryProblem {
  field: string;
  message: string;
}

/**
 * The query of GET /maintenance/history: `limit` and `cursor`, each at most once; anything else refused,
 * as unknown body fields are.
 *
 * @example
 * checkHistoryQuery({ limit: ['5'] }) // { ok: true, value: { limit: 5, cursor: null } }
 * checkHistoryQuery({ page: ['2'] }) // { ok: false, problems: [{ field: 'page', message: 'is not a known parameter' }] }
 */
export function checkHistoryQuery(
  params: Record<string, readonly string[]>,
): { ok: true; value: HistoryQuery } | { ok: false; problems: QueryProblem[] } {
  const problems: QueryProblem[] = [];
  let limit: number = HISTORY_LIMIT.default;
  let cursor: HistoryQuery['cursor'] = null;
  for (const [field, values] of Object.entries(params)) {
    if (field !== 'limit' && field !== 'cursor') {
      problems.push({ field, message: 'is not a known parameter (limit, cursor)' });
    } else if (values.length !== 1) {
      problems.push({ field, message: 'must be given at most once' });
    } else if (field === 'limit') {
      const checked = checkHistoryLimit(values[0] as string);
      if (checked.ok) limit = checked.value;
      else problems.push({ field, message: checked.message });
    } else {
      cursor = decodeCursor(values[0] as string);
      if (cursor === null) {
        problems.push({ field, message: "is not a cursor this API gave out (pass a page's nextCursor)" });
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { limit, cursor } };
}
