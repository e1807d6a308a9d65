import { type MaintenanceRuleState, readMaintenanceRule } from '../domain/maintenance-rules';
import type { ChangeRecord, MaintenanceStatus } from '../domain/maintenance-status';
import type { ChangeLog } from '../ports/change-log';
import type { WebAclStore } from '../ports/web-acl-store';

export interface StatusDeps {
  webAcl: WebAclStore;
  changes: ChangeLog;
}

/** Combines the ACL's position with the change record its label names (if that record exists). */
export function toStatus(rule: MaintenanceRuleState, record: ChangeRecord | null): MaintenanceStatus {
  return {
    enabled: rule.enabled,
    action: rule.enabled ? 'BLOCK' : 'COUNT',
    reason: record?.reason ?? null,
    retryAfterSeconds: rule.retryAfterSeconds,
    changedAt: record?.changedAt ?? null,
    changedBy: record?.changedBy ?? null,
  };
}

export async function findChange(changes: ChangeLog, id: string | null): Promise<ChangeRecord | null> {
  return id === null ? null : changes.find(id);
}

/**
 * Reports whether maintenance is on.
 * 1. Read the web ACL (never a cache): the maintenance rule's action is the truth.
 * 2. Read the change record the rule's label names, for reason and who/when.
 */
export async function getMaintenanceStatus(deps: StatusDeps): Promise<MaintenanceStatus> {
  const { acl } = await deps.webAcl.get();
  const rule = readMaintenanceRule(acl);
  return toStatus(rule, await findChange(deps.changes, rule.changeId));
}
