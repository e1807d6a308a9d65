import { randomUUID } from 'node:crypto';
import { addressIn } from '../domain/cidr';
import type { Deadline } from '../domain/deadline';
import { type FieldError, PartialChangeError, ValidationError } from '../domain/errors';
import type { PageStyle } from '../domain/maintenance-page';
import {
  type ChangeRecord,
  DEFAULT_RETRY_AFTER_SECONDS,
  type MaintenanceStatus,
} from '../domain/maintenance-status';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import {
  type DesiredMaintenance,
  isAlreadyAsDesired,
  readSwitchState,
  ruleGroupDocument,
  type SwitchState,
  withMaintenance,
} from '../domain/rule-group';
import { checkReason, checkRetryAfter } from '../domain/values';
import type { AuditLog } from '../ports/audit-log';
import type { BypassSetStore } from '../ports/bypass-set-store';
import type { ChangeLog } from '../ports/change-log';
import type { Clock } from '../ports/clock';
import type { RuleGroupStore } from '../ports/rule-group-store';
import { findChange, toStatus } from './get-maintenance-status';
import { recordHistory } from './record-history';

export interface SetMaintenanceDeps {
  ruleGroup: RuleGroupStore;
  changes: ChangeLog;
  /** The history, told of each change once it is applied. */
  audit: AuditLog;
  clock: Clock;
  policy: RetryPolicy;
  /** The request's deadline: retries stop by it, and no write starts once too little of it is left. */
  deadline: Deadline;
  /** Which HTML body visitors get: the hosted shell (managed mode) or the inline page (attach mode). */
  pageStyle: PageStyle;
  newId?: () => string;
  /** Draws the bypass link's secret when maintenance turns on (newBypassSecret by default). */
  newSecret?: () => string;
  /** Read for the caller's check (`callerIp`): is the person turning maintenance on going to be locked out? */
  bypass?: BypassSetStore;
  siteUrl?: string | null | undefined;
}

export interface SetMaintenanceInput {
  enabled: boolean;
  /** Omitted while maintenance is already on: the current reason stays. */
  reason?: string | undefined;
  /** Omitted: the current value while on, else five minutes. */
  retryAfterSeconds?: number | undefined;
  /** Token name or Slack user recorded as changedBy. */
  actor: string;
  /** The address the request came from (API Gateway's sourceIp); Slack cannot know its user's. */
  callerIp?: string | undefined;
  /**
   * The window this change belongs to (turning on: its start; turning off: its end). Its change is made
   * even when maintenance is already on as desired, so that the window holds it (changedBy, endsAt).
   */
  window?: { id: string; endsAt?: string } | undefined;
  /**
   * Turning off at a window's end: only while the current change is still that window's. Someone else's
   * change since (a new reason, a manual on) is left alone, and the result says `leftAlone`.
   */
  onlyIfWindow?: string | undefined;
}

/** Whether the caller's own address will get the site: in either bypass set. */
export interface Caller {
  ip: string;
  bypassed: boolean;
}

export interface SetMaintenanceResult {
  status: MaintenanceStatus;
  changed: boolean;
  /** Present when turning on, for the caller the input names (`callerIp`), once the bypass sets were read. */
  caller?: Caller;
  /** The change record this request wrote, when it changed anything. */
  applied?: ChangeRecord;
  /** `onlyIfWindow` was asked and the current change is someone else's: nothing was written. */
  leftAlone?: { changedBy: string | null };
}

/** Reads both bypass sets, as WAF holds them now, for whether `ip` is in one. */
async function checkCaller(bypass: BypassSetStore, ip: string): Promise<Caller> {
  const sets = await Promise.all([bypass.get(4), bypass.get(6)]);
  return { ip, bypassed: sets.some((set) => addressIn(ip, set.addresses)) };
}

function validate(input: SetMaintenanceInput): void {
  const errors: FieldError[] = [];
  const reason = input.reason === undefined ? undefined : checkReason(input.reason);
  if (reason && !reason.ok) errors.push({ field: 'reason', message: reason.message });
  const retry = input.retryAfterSeconds === undefined ? undefined : checkRetryAfter(input.retryAfterSeconds);
  if (retry && !retry.ok) errors.push({ field: 'retryAfterSeconds', message: retry.message });
  if (errors.length > 0) throw new ValidationError(errors);
}

/** The change record of one request: written once, whatever the attempts, and only for its intent. */
class PendingRecord {
  private written: ChangeRecord | null = null;
  current: ChangeRecord | null = null;

  /** The record for `desired`: the same one again while the intent is unchanged across attempts. */
  for(desired: DesiredMaintenance, make: () => ChangeRecord): ChangeRecord {
    if (!this.current || !sameIntent(this.current, desired)) this.current = make();
    return this.current;
  }

  async write(changes: ChangeLog, record: ChangeRecord): Promise<void> {
    if (this.written === record) return;
    await changes.record(record);
    this.written = record;
  }
}

/**
 * The WAF write and the change record's write go out together: a toggle then costs one WAF round trip
 * after its read, not a DynamoDB one more. A write that fails leaves at most an orphan record (the group's
 * label never names it, so nothing shows it). A record that fails after the group was written is tried once
 * more; if it still fails, the answer says that maintenance changed without its who and why.
 */
async function writeBoth(
  deps: SetMaintenanceDeps,
  pending: PendingRecord,
  record: ChangeRecord,
  write: () => Promise<void>,
): Promise<void> {
  deps.deadline.assertMayWrite('the rule group write');
  // The group's write is sent first: it is the slow one (WAF), and the record's only rides along.
  const [written, recorded] = await Promise.allSettled([write(), pending.write(deps.changes, record)]);
  if (written.status === 'rejected') throw written.reason;
  if (recorded.status === 'fulfilled') return;
  try {
    deps.deadline.assertMayWrite('the change record');
    await pending.write(deps.changes, record);
  } catch (error) {
    throw new PartialChangeError(
      `Maintenance is now ${record.enabled ? 'ON' : 'OFF'}, but its change record could not be written: the status shows no reason or author for it, and the history does not show the change.`,
      { enabled: record.enabled, changeId: record.id },
      { cause: error },
    );
  }
}

/**
 * Turns maintenance on or off.
 * 1. Validate the input (the value rules hold for every entry point, not only HTTP).
 * 2. Read the rule group; work out the desired position (omitted fields keep the current values while on).
 * 3. If the group already answers as desired, write nothing and report `changed: false`.
 * 4. Restate the whole group with the maintenance rules switched and labelled with a new change record's
 *    id, presenting the lock token from step 2, while the record (who, why, when) is written alongside.
 *    No write starts unless the request's deadline leaves time for it.
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
  const pending = new PendingRecord();
  // Only turning on checks the caller (turning off must not depend on the bypass sets). Read alongside
  // the group's read and awaited before any write, so a failure changes nothing; a failed check is started
  // again by the next attempt, so a throttled GetIPSet is retried like the group's calls.
  const bypass = deps.bypass;
  const callerIp = input.enabled && bypass ? input.callerIp : undefined;
  let caller: Promise<Caller> | undefined;
  const checking = (): Promise<Caller> | undefined => {
    if (!callerIp || !bypass) return undefined;
    if (caller) return caller;
    const started = checkCaller(bypass, callerIp);
    started.catch(() => {
      if (caller === started) caller = undefined;
    });
    caller = started;
    return started;
  };
  let callerResult: Caller | undefined;

  const result = await retryOnConflict(deps, async (): Promise<SetMaintenanceResult> => {
    const check = checking();
    const { group, lockToken } = await deps.ruleGroup.get();
    callerResult = await check;
    const current: SwitchState = readSwitchState(group);
    // The current record is needed to carry its reason over (staying on without a new reason), and to
    // see whose the current change is when a window acts.
    const keepsReason = input.enabled && current.enabled && input.reason === undefined;
    const windowActs = input.window !== undefined || input.onlyIfWindow !== undefined;
    const currentRecord = keepsReason || windowActs ? await findChange(deps.changes, current.changeId) : null;
    const ours = pending.current;
    const oursApplied = ours !== null && current.changeId === ours.id;
    if (input.onlyIfWindow !== undefined && !oursApplied && currentRecord?.windowId !== input.onlyIfWindow) {
      return {
        status: toStatus(current, currentRecord, deps.siteUrl),
        changed: false,
        leftAlone: { changedBy: currentRecord?.changedBy ?? null },
      };
    }
    const desired: DesiredMaintenance = {
      enabled: input.enabled,
      retryAfterSeconds: input.retryAfterSeconds ?? current.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      reason: input.reason ?? (keepsReason ? currentRecord?.reason : null) ?? null,
    };

    const held = input.window === undefined || currentRecord?.windowId === input.window.id;
    if (isAlreadyAsDesired(current, desired, deps.pageStyle) && (held || oursApplied)) {
      if (ours && oursApplied) {
        return { status: toStatus(current, ours, deps.siteUrl), changed: true };
      }
      const record = currentRecord ?? (await findChange(deps.changes, current.changeId));
      return { status: toStatus(current, record, deps.siteUrl), changed: false };
    }

    const record = pending.for(desired, () => ({
      id: newId(),
      enabled: desired.enabled,
      reason: desired.reason,
      retryAfterSeconds: desired.enabled ? desired.retryAfterSeconds : null,
      changedAt: deps.clock.now().toISOString(),
      changedBy: input.actor,
      ...(input.window ? { windowId: input.window.id } : {}),
      ...(input.enabled && input.window?.endsAt ? { endsAt: input.window.endsAt } : {}),
    }));
    const next = withMaintenance(current, desired, record.id, deps.pageStyle, deps.newSecret);
    const name = group.Name ?? '';
    await writeBoth(deps, pending, record, () =>
      deps.ruleGroup.put(ruleGroupDocument(name, next), lockToken),
    );
    return { status: toStatus(next, record, deps.siteUrl), changed: true };
  });
  // The history hears of the change once it is applied, by its change record's id.
  const applied = result.changed ? pending.current : null;
  if (applied) {
    await recordHistory(deps, {
      id: applied.id,
      at: applied.changedAt,
      actor: applied.changedBy,
      action: applied.enabled ? 'maintenance.on' : 'maintenance.off',
      details: {
        reason: applied.reason,
        retryAfterSeconds: applied.retryAfterSeconds,
        ...(applied.windowId ? { windowId: applied.windowId } : {}),
        ...(applied.endsAt ? { endsAt: applied.endsAt } : {}),
      },
      said: `Maintenance was turned ${applied.enabled ? 'ON' : 'OFF'}`,
    });
  }
  const withApplied = applied ? { ...result, applied } : result;
  return callerResult ? { ...withApplied, caller: callerResult } : withApplied;
}

function sameIntent(record: ChangeRecord, desired: DesiredMaintenance): boolean {
  return (
    record.enabled === desired.enabled &&
    record.reason === desired.reason &&
    record.retryAfterSeconds === (desired.enabled ? desired.retryAfterSeconds : null)
  );
}
