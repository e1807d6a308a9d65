import { bypassLinkPath } from '../domain/bypass-link';
import type { ChangeRecord, MaintenanceStatus } from '../domain/maintenance-status';
import { readSwitchState, type SwitchState } from '../domain/rule-group';
import type { ChangeLog } from '../ports/change-log';
import type { RuleGroupStore } from '../ports/rule-group-store';

export interface StatusDeps {
  ruleGroup: RuleGroupStore;
  changes: ChangeLog;
  /** Where visitors reach the site (SITE_URL), reported with the status; null or absent when unknown. */
  siteUrl?: string | null | undefined;
}

/**
 * Combines the group's position with the change record its label names (if that record exists). The
 * bypass link is a credential: only the status, which operators and admins alone may read, shows it.
 */
export function toStatus(
  state: SwitchState,
  record: ChangeRecord | null,
  siteUrl: string | null | undefined = null,
): MaintenanceStatus {
  return {
    enabled: state.enabled,
    action: state.enabled ? 'BLOCK' : 'COUNT',
    reason: record?.reason ?? null,
    retryAfterSeconds: state.retryAfterSeconds,
    changedAt: record?.changedAt ?? null,
    changedBy: record?.changedBy ?? null,
    bypassLink: state.enabled && state.bypassSecret ? bypassLinkPath(state.bypassSecret) : null,
    siteUrl: siteUrl ?? null,
    endsAt: state.enabled ? (record?.endsAt ?? null) : null,
  };
}

export async function findChange(changes: ChangeLog, id: string | null): Promise<ChangeRecord | null> {
  return id === null ? null : changes.find(id);
}

/**
 * Reports whether maintenance is on.
 * 1. Read the rule group (never a cache): the maintenance rules' action is the truth.
 * 2. Read the change record the rules' label names, for reason and who/when.
 */
export async function getMaintenanceStatus(deps: StatusDeps): Promise<MaintenanceStatus> {
  const { group } = await deps.ruleGroup.get();
  const state = readSwitchState(group);
  return toStatus(state, await findChange(deps.changes, state.changeId), deps.siteUrl);
}
