import { randomUUID } from 'node:crypto';
import type { Deadline } from '../domain/deadline';
import { type FieldError, ValidationError } from '../domain/errors';
import {
  applyMaintenance,
  type DesiredMaintenance,
  isAlreadyAsDesired,
  readMaintenanceRule,
} from '../domain/maintenance-rules';
import {
  type ChangeRecord,
  DEFAULT_RETRY_AFTER_SECONDS,
  type MaintenanceStatus,
} from '../domain/maintenance-status';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import { checkReason, checkRetryAfter } from '../domain/values';
import type { ChangeLog } from '../ports/change-log';
import type { Clock } from '../ports/clock';
import type { WebAclStore } from '../ports/web-acl-store';
import { findChange, toStatus } from './get-maintenance-status';

export interface SetMaintenanceDeps {
  webAcl: WebAclStore;
  changes: ChangeLog;
  clock: Clock;
  policy: RetryPolicy;
  /** The request's deadline: retries stop by it, and no write starts once too little of it is left. */
  deadline: Deadline;
  newId?: () => string;
}

export interface SetMaintenanceInput {
  enabled: boolean;
  /** Omitted while maintenance is already on: the current reason stays. */
  reason?: string | undefined;
  /** Omitted: the current value while on, else five minutes. */
  retryAfterSeconds?: number | undefined;
  /** Token name or Slack user recorded as changedBy. */
  actor: string;
}

export interface SetMaintenanceResult {
  status: MaintenanceStatus;
  changed: boolean;
}

function validate(input: SetMaintenanceInput): void {
  const errors: FieldError[] = [];
  const reason = input.reason === undefined ? undefined : checkReason(input.reason);
  if (reason && !reason.ok) errors.push({ field: 'reason', message: reason.message });
  const retry = input.retryAfterSeconds === undefined ? undefined : checkRetryAfter(input.retryAfterSeconds);
  if (retry && !retry.ok) errors.push({ field: 'retryAfterSeconds', message: retry.message });
  if (errors.length > 0) throw new ValidationError(errors);
}

/**
 * Turns maintenance on or off.
 * 1. Validate the input (the value rules hold for every entry point, not only HTTP).
 * 2. Read the web ACL; work out the desired position (omitted fields keep the current values while on).
 * 3. If the ACL is already there, write nothing and report `changed: false`.
 * 4. Record the change (who, why, when), then write the ACL with the maintenance rule switched and
 *    labelled with that record's id, presenting the lock token from step 2. Neither write starts unless
 *    the request's deadline leaves time for it.
 * 5. On a stale lock token or throttling, go back to step 2 after a jittered wait, within the time budget;
 *    past it, ConflictError (nothing applied). A fresh read that carries this request's own change label
 *    means an earlier attempt was applied although its answer was lost: the change is done.
 */
export async function setMaintenanceMode(
  deps: SetMaintenanceDeps,
  input: SetMaintenanceInput,
): Promise<SetMaintenanceResult> {
  validate(input);
  const newId = deps.newId ?? randomUUID;
  let recorded: ChangeRecord | null = null;

  return retryOnConflict(deps, async () => {
    const { acl, lockToken } = await deps.webAcl.get();
    const current = readMaintenanceRule(acl);
    // The current record is only needed to carry its reason over (staying on without a new reason).
    const keepsReason = input.enabled && current.enabled && input.reason === undefined;
    const currentRecord = keepsReason ? await findChange(deps.changes, current.changeId) : null;
    const desired: DesiredMaintenance = {
      enabled: input.enabled,
      retryAfterSeconds: input.retryAfterSeconds ?? current.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      reason: input.reason ?? currentRecord?.reason ?? null,
    };

    if (isAlreadyAsDesired(acl, desired)) {
      if (recorded && current.changeId === recorded.id)
        return { status: toStatus(current, recorded), changed: true };
      const record = currentRecord ?? (await findChange(deps.changes, current.changeId));
      return { status: toStatus(current, record), changed: false };
    }

    if (!recorded || !sameIntent(recorded, desired)) {
      deps.deadline.assertMayWrite('the change record');
      recorded = {
        id: newId(),
        enabled: desired.enabled,
        reason: desired.reason,
        retryAfterSeconds: desired.enabled ? desired.retryAfterSeconds : null,
        changedAt: deps.clock.now().toISOString(),
        changedBy: input.actor,
      };
      await deps.changes.record(recorded);
    }
    const next = applyMaintenance(acl, desired, recorded.id);
    deps.deadline.assertMayWrite('the WAF write');
    await deps.webAcl.put(next, lockToken);
    return { status: toStatus(readMaintenanceRule(next), recorded), changed: true };
  });
}

function sameIntent(record: ChangeRecord, desired: DesiredMaintenance): boolean {
  return (
    record.enabled === desired.enabled &&
    record.reason === desired.reason &&
    record.retryAfterSeconds === (desired.enabled ? desired.retryAfterSeconds : null)
  );
}
