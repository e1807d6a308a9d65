import { randomUUID } from 'node:crypto';
import type { Deadline } from '../domain/deadline';
import { PartialChangeError } from '../domain/errors';
import { batchDetails, type Entry, type HistoryAction, type Json } from '../domain/history';
import type { AuditLog } from '../ports/audit-log';
import type { Clock } from '../ports/clock';

export interface HistoryDeps {
  audit: AuditLog;
  clock: Clock;
  deadline: Deadline;
  newId?: () => string;
}

export interface AppliedChange {
  /** The entry's id; a fresh one when not given (a toggle reuses its change record's). */
  id?: string;
  at?: string;
  actor: string;
  action: HistoryAction;
  details: { [key: string]: Json };
  /** The change that was made, in words, for the answer should its entry fail: "The bypass set was changed". */
  said: string;
}

/**
 * Writes the history entry of a change just applied: after the change, so a change that failed leaves
 * none, and tried once more if the first write fails (the same id, so twice is once). If it still fails
 * the change stands and the answer says so: a 502 naming what was applied without its entry, as a toggle
 * without its change record does.
 */
export async function recordHistory(deps: HistoryDeps, change: AppliedChange): Promise<Entry> {
  const entry: Entry = {
    id: change.id ?? (deps.newId ?? randomUUID)(),
    at: change.at ?? deps.clock.now().toISOString(),
    actor: change.actor,
    action: change.action,
    details: change.details,
  };
  let failure: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      deps.deadline.assertMayWrite('the history entry');
      await deps.audit.record(entry);
      return entry;
    } catch (error) {
      failure = error;
    }
  }
  throw new PartialChangeError(
    `${change.said}, but its history entry could not be written: GET /maintenance/history does not show it.`,
    { action: change.action, ...change.details },
    { cause: failure },
  );
}

/**
 * The history entry of an add/remove batch (bypass addresses, exempt paths), when it changed anything.
 *
 * @example
 * await recordBatch(deps, 'bypass.update', 'alice', { added: ['192.0.2.1/32'], removed: [] }, 'The bypass set was changed');
 */
export async function recordBatch(
  deps: HistoryDeps,
  action: Extract<HistoryAction, 'bypass.update' | 'exemptions.update'>,
  actor: string,
  change: { added: string[]; removed: string[] },
  said: string,
): Promise<void> {
  if (change.added.length + change.removed.length === 0) return;
  await recordHistory(deps, {
    actor,
    action,
    details: batchDetails(change),
    said,
  });
}
