import type { RuleGroup } from '@aws-sdk/client-wafv2';
import type { RuleGroupDocument } from '../domain/rule-group';

/** The switch's rule group as read, with the lock token that a write must present. */
export interface VersionedRuleGroup {
  group: RuleGroup;
  lockToken: string;
}

/**
 * The one rule group the switch owns (`waf-maintenance-<stage>`).
 * `get` throws MisconfiguredError if it does not exist; `put` throws StaleLockError when the lock token is
 * no longer current and ThrottledError when AWS asks to slow down; both throw UpstreamError otherwise.
 */
export interface RuleGroupStore {
  get(): Promise<VersionedRuleGroup>;
  /** Writes the whole document back: whatever is not in it is gone afterwards, as in AWS. */
  put(document: RuleGroupDocument, lockToken: string): Promise<void>;
}
