import type { Entry, HistoryPage, HistoryQuery } from '../domain/history';

/** The one way changes reach the history, and the history is read. */
export interface AuditLog {
  /** Adds an entry; an entry of the same id already there is kept (a retried write adds nothing). */
  record(entry: Entry): Promise<void>;
  /** Newest first, `query.limit` of them, older than `query.cursor`. */
  page(query: HistoryQuery): Promise<HistoryPage>;
}
