import type { RuleGroup } from '@aws-sdk/client-wafv2';
import { ConflictError, PartialChangeError } from '../domain/errors';
import { retryOnConflict } from '../domain/retry';
import { readSwitchState } from '../domain/rule-group';
import { StillReferencedError } from '../ports/switch-resources';
import type { ProvisionDeps } from './provision-switch';

/**
 * Deletes the rule group at `arn` with a fresh lock token (a conflict reads it again); returns the group
 * as it was, or null when it was already gone. `check` runs on the group before anything is deleted.
 */
export async function deleteGroup(
  deps: ProvisionDeps,
  arn: string,
  check: (group: RuleGroup) => void = () => {},
): Promise<RuleGroup | null> {
  return retryOnConflict(deps, async () => {
    const current = await deps.waf.getRuleGroup(arn);
    if (!current) return null;
    check(current.group);
    await deps.waf.deleteRuleGroup(arn, current.lockToken);
    return current.group;
  });
}

function detachHint(attachTo: readonly string[]): string {
  const commands = (attachTo.length > 0 ? attachTo : ['<ARN>']).map(
    (arn) => `\`maintenance detach --web-acl ${arn}\``,
  );
  return `run ${commands.join(', then ')} for each web ACL that carries it first, then delete again`;
}

/**
 * Deletes the switch: its rule group, then both bypass IP sets (which WAF keeps while the group references
 * them).
 * 1. Read the group (gone, or `arn` null: nothing to do) and the two sets its rules name.
 * 2. Delete it with its lock token. A web ACL still referencing it makes WAF refuse
 *    (WAFAssociatedItemException): then nothing is deleted, and the error says to detach first.
 * 3. Delete each set; one that cannot be is a PartialChangeError naming what is left to delete by hand.
 * `attachTo` (the web ACLs of attach mode) only serves to name them in that advice.
 */
export async function removeSwitch(
  deps: ProvisionDeps,
  arn: string | null,
  options: { attachTo?: readonly string[] } = {},
): Promise<'deleted' | 'gone'> {
  if (arn === null) return 'gone';
  let ipSets: { v4: string; v6: string } | undefined;
  let group: RuleGroup | null;
  try {
    group = await deleteGroup(deps, arn, (live) => {
      ipSets = readSwitchState(live).ipSets;
    });
  } catch (error) {
    if (!(error instanceof StillReferencedError)) throw error;
    throw new ConflictError(
      `Rule group ${arn} is still referenced by a web ACL, so WAF refuses to delete it (WAFAssociatedItemException), and nothing was deleted: ${detachHint(options.attachTo ?? [])}.`,
      { cause: error },
    );
  }
  // Known once the group was read: its sets go even if someone else deleted the group meanwhile.
  if (!ipSets) return 'gone';
  const left: string[] = [];
  for (const set of [ipSets.v4, ipSets.v6]) {
    try {
      await retryOnConflict(deps, () => deps.waf.deleteIpSet(set));
    } catch (error) {
      left.push(`${set} (${(error as Error).message})`);
    }
  }
  if (left.length > 0) {
    throw new PartialChangeError(
      `Deleted rule group ${group?.Name ?? arn}, but not its bypass IP set ${left.join(' nor ')}: delete it by hand.`,
      { deleted: [arn], left },
    );
  }
  return 'deleted';
}
