import type { Deadline } from '../domain/deadline';
import { MisconfiguredError } from '../domain/errors';
import type { PageStyle } from '../domain/maintenance-page';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../domain/maintenance-status';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import {
  initialState,
  RULE_GROUP_CAPACITY,
  type RuleGroupDocument,
  readSwitchState,
  ruleGroupDocument,
  type SwitchState,
  withMaintenance,
} from '../domain/rule-group';
import { rulesCapacity } from '../domain/waf-capacity';
import type { ChangeLog } from '../ports/change-log';
import type { Clock } from '../ports/clock';
import type { CreatedResource, SwitchResources } from '../ports/switch-resources';
import { findChange } from './get-maintenance-status';
import { deleteGroup } from './remove-switch';

export interface ProvisionDeps {
  waf: SwitchResources;
  /** Where the reason of the change the group's label names is kept, for bodies rendered again. */
  changes: ChangeLog;
  clock: Clock;
  policy: RetryPolicy;
  /** The request's deadline (the custom resource's); none when the local stack provisions. */
  deadline?: Deadline;
}

/** What the switch is asked to be: its rule group's name, and the page its bodies show. */
export interface SwitchSpec {
  name: string;
  pageStyle: PageStyle;
}

/** The switch as provisioned: the rule group and the two bypass IP sets its rules reference. */
export interface ProvisionedSwitch extends CreatedResource {
  ipSets: SwitchState['ipSets'];
}

/** What a Create has made so far, in order: what {@link undoCreate} deletes when the Create cannot finish. */
export type MadeResources = Array<CreatedResource & { kind: 'IP set' | 'rule group' }>;

/**
 * WAF allows its Create and Update calls at about one a second per account and Region: throttling is
 * retried with a backoff that spreads over seconds, not the toggle's milliseconds.
 */
export const PROVISION_RETRY_POLICY: RetryPolicy = {
  budgetMs: 30_000,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  random: Math.random,
};

/** The bypass IP sets' names: the group's, suffixed (the custom resource's role is limited to these). */
export function bypassSetNames(groupName: string): { v4: string; v6: string } {
  return { v4: `${groupName}-bypass-v4`, v6: `${groupName}-bypass-v6` };
}

const DESCRIPTIONS = {
  v4: 'Addresses that still reach the site during maintenance - IPv4',
  v6: 'Addresses that still reach the site during maintenance - IPv6',
};

/** WAF fixes a group's capacity at creation and refuses rules that need more; moto checks neither. */
function assertFits(document: RuleGroupDocument, capacity: number, name: string): void {
  const needed = rulesCapacity(document.Rules);
  if (needed > capacity) {
    throw new MisconfiguredError(
      `The switch's rules need ${needed} WCU, more than the ${capacity} that rule group ${name} was created with (WAF cannot change it): detach and delete the group, then deploy again.`,
    );
  }
}

/**
 * Creates the switch off, with no bypass address.
 * 1. Check that the rules fit RULE_GROUP_CAPACITY (what they reference does not change their cost).
 * 2. Create the IPv4 and the IPv6 bypass set, empty.
 * 3. Create the rule group referencing both, with the initial document for the page style.
 * Each creation is recorded in `made` as soon as WAF confirms it, so a failure later can be undone.
 * A name that already exists fails (MisconfiguredError naming it): the switch never adopts a resource.
 */
export async function createSwitch(
  deps: ProvisionDeps,
  spec: SwitchSpec,
  made: MadeResources = [],
): Promise<ProvisionedSwitch> {
  const unreferenced = { v4: 'ipv4', v6: 'ipv6' };
  assertFits(
    ruleGroupDocument(spec.name, initialState(unreferenced, spec.pageStyle)),
    RULE_GROUP_CAPACITY,
    spec.name,
  );
  const names = bypassSetNames(spec.name);
  const v4 = await retryOnConflict(deps, () => deps.waf.createIpSet(names.v4, 'IPV4', DESCRIPTIONS.v4));
  made.push({ kind: 'IP set', ...v4 });
  const v6 = await retryOnConflict(deps, () => deps.waf.createIpSet(names.v6, 'IPV6', DESCRIPTIONS.v6));
  made.push({ kind: 'IP set', ...v6 });
  const ipSets = { v4: v4.arn, v6: v6.arn };
  const document = ruleGroupDocument(spec.name, initialState(ipSets, spec.pageStyle));
  const group = await retryOnConflict(deps, () =>
    deps.waf.createRuleGroup(spec.name, RULE_GROUP_CAPACITY, document),
  );
  made.push({ kind: 'rule group', ...group });
  return { ...group, ipSets };
}

/**
 * The bodies for another page style, with the reason of the change that turned maintenance on (from its
 * record; without one, the page has no reason). While off nothing shows them: the next "on" renders them.
 */
async function restyled(changes: ChangeLog, state: SwitchState, style: PageStyle): Promise<SwitchState> {
  if (!state.enabled) return state;
  const record = await findChange(changes, state.changeId);
  const desired = {
    enabled: true,
    retryAfterSeconds: state.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    reason: record?.reason ?? null,
  };
  return { ...state, bodies: withMaintenance(state, desired, state.changeId ?? '', style).bodies };
}

/**
 * Restates the live group with the current code's rules, keeping its live state: on or off, Retry-After,
 * bodies, the change label, and the bypass sets (whose addresses are never touched).
 * 1. Read the group with its lock token. Gone (or `arn` null, or another name asked for): create the
 *    switch as {@link createSwitch} does.
 * 2. Read its state; with another page style than before (`previousPageStyle`; unknown counts as another),
 *    render the bodies again for the new style with the current reason.
 * 3. Write the whole document with the lock token; a lock conflict or throttling starts again at 1.
 */
export async function updateSwitch(
  deps: ProvisionDeps,
  spec: SwitchSpec,
  arn: string | null,
  options: { previousPageStyle?: PageStyle | undefined; made?: MadeResources } = {},
): Promise<ProvisionedSwitch> {
  const restyle = options.previousPageStyle !== spec.pageStyle;
  const updated =
    arn === null
      ? null
      : await retryOnConflict(deps, async () => {
          const current = await deps.waf.getRuleGroup(arn);
          if (!current || current.group.Name !== spec.name) return null;
          const live = readSwitchState(current.group);
          const state = restyle ? await restyled(deps.changes, live, spec.pageStyle) : live;
          const document = ruleGroupDocument(spec.name, state);
          assertFits(document, current.group.Capacity ?? 0, spec.name);
          await deps.waf.updateRuleGroup(arn, document, current.lockToken);
          return { arn, id: current.group.Id ?? '', name: spec.name, ipSets: state.ipSets };
        });
  return updated ?? createSwitch(deps, spec, options.made);
}

/**
 * Deletes what a failed Create made, newest first (the group before the sets it references), and takes
 * each from `made` once it is gone. Returns what could not be deleted, with why, for the answer to name.
 */
export async function undoCreate(
  deps: ProvisionDeps,
  made: MadeResources,
): Promise<Array<{ resource: string; problem: string }>> {
  const left: Array<{ resource: string; problem: string }> = [];
  for (const resource of [...made].reverse()) {
    try {
      if (resource.kind === 'rule group') await deleteGroup(deps, resource.arn);
      else await retryOnConflict(deps, () => deps.waf.deleteIpSet(resource.arn));
      made.splice(made.indexOf(resource), 1);
    } catch (error) {
      left.push({ resource: `${resource.kind} ${resource.name}`, problem: (error as Error).message });
    }
  }
  return left;
}
