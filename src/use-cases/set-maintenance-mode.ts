import { randomUUID } from 'node:crypto';
import { ValidationError } from '../domain/errors';
import {
  applyMaintenance,
  type DesiredMaintenance,
  isAlreadyAsDesired,
  readMaintenanceRule,
} from '../domain/maintenance-rules';
import {
  type ChangeRecord,
  DEFAULT_RETRY_AFTER_SECONDS,
  MAX_REASON_LENGTH,
  MAX_RETRY_AFTER_SECONDS,
  type MaintenanceStatus,
} from '../domain/maintenance-status';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import type { ChangeLog } from '../ports/change-log';
import type { Clock } from '../ports/clock';
import type { WebAclStore } from '../ports/web-acl-store';
import { findChange, toStatus } from './get-maintenance-status';

export interface SetMaintenanceDeps {
  webAcl: WebAclStore;
  changes: ChangeLog;
  clock: Clock;
  policy: RetryPolicy;
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

const LONE_SURROGATE = /\p{Cs}/u;

function validate(input: SetMaintenanceInput): void {
  const errors = [];
  if (input.reason !== undefined && (input.reason.length < 1 || input.reason.length > MAX_REASON_LENGTH)) {
    errors.push({ field: 'reason', message: `must be 1 to ${MAX_REASON_LENGTH} characters` });
  } else if (input.reason !== undefined && LONE_SURROGATE.test(input.reason)) {
    // JSON lets a client send half of a UTF-16 pair; DynamoDB and WAF would refuse it as invalid UTF-8 (a 502).
    errors.push({ field: 'reason', message: 'must be valid Unicode text' });
  }
  const retry = input.retryAfterSeconds;
  if (retry !== undefined && (!Number.isInteger(retry) || retry < 1 || retry > MAX_RETRY_AFTER_SECONDS)) {
    errors.push({
      field: 'retryAfterSeconds',
      message: `must be an integer from 1 to ${MAX_RETRY_AFTER_SECONDS}`,
    });
  }
  if (errors.length > 0) throw new ValidationError(errors);
}

/**
 * Turns maintenance on or off.
 * 1. Validate the input (the value rules hold for every entry point, not only HTTP).
 * 2. Read the web ACL; work out the desired position (omitted fields keep the current values while on).
 * 3. If the ACL is already there, write nothing and report `changed: false`.
 * 4. Record the change (who, why, when), then write the ACL with the maintenance rule switched and
 *    labelled with that record's id, presenting the lock token from step 2.
 * 5. On a stale lock token or throttling, go back to step 2 after a jittered wait, within the time budget;
 *    past it, ConflictError (nothing applied).
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
      const record = currentRecord ?? (await findChange(deps.changes, current.changeId));
      return { status: toStatus(current, record), changed: false };
    }

    if (!recorded || !sameIntent(recorded, desired)) {
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
