import { ValidationError } from '../domain/errors';
import type { HistoryPage } from '../domain/history';
import { checkHistoryQuery } from '../domain/values';
import type { AuditLog } from '../ports/audit-log';

/**
 * A page of the history, newest first: `limit` (1-100, default 20) entries older than `cursor`. A bad
 * parameter is a 400 naming it, and nothing is read.
 *
 * @example
 * await listHistory({ audit }, { limit: ['5'] }) // { entries: [...5 newest], nextCursor: '...' }
 */
export async function listHistory(
  deps: { audit: AuditLog },
  params: Record<string, readonly string[]>,
): Promise<HistoryPage> {
  const query = checkHistoryQuery(params);
  if (!query.ok) throw new ValidationError(query.problems);
  return deps.audit.page(query.value);
}
