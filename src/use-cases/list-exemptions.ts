import { readSwitchState } from '../domain/rule-group';
import { MAX_EXEMPTIONS } from '../domain/values';
import type { RuleGroupStore } from '../ports/rule-group-store';

export interface ExemptionsListing {
  /** As listed: `/health`, `/api/webhooks/*`, in the order they were added. */
  paths: string[];
  count: number;
  limit: number;
}

/**
 * The exempt paths, read from the rule group itself (never a cache).
 *
 * @example
 * await listExemptions({ ruleGroup }) // { paths: ['/health', '/api/webhooks/*'], count: 2, limit: 20 }
 */
export async function listExemptions(deps: { ruleGroup: RuleGroupStore }): Promise<ExemptionsListing> {
  const { group } = await deps.ruleGroup.get();
  const paths = readSwitchState(group).exemptions.map((e) => e.path);
  return { paths, count: paths.length, limit: MAX_EXEMPTIONS };
}
