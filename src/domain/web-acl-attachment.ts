import type { Rule } from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from './errors';
import { RULE_GROUP_CAPACITY } from './rule-group';
import { byPriority, letsGroupActionsApply, referenceRule, referencesGroup } from './rule-group-reference';

/**
 * How `maintenance attach` and `detach` change a team's web ACL: only the rules that reference the
 * switch's group, and (with `renumber`) the other rules' priorities; everything else is the caller's to
 * send back exactly as read.
 */

/** A web ACL may use at most this many WCUs (AWS WAF Developer Guide, "Web ACL capacity units"). */
export const MAX_WEB_ACL_CAPACITY = 5_000;
/** Up to this many WCUs a web ACL costs the base price; above it AWS charges for each further 500. */
export const BASE_PRICE_CAPACITY = 1_500;

export interface AttachRequest {
  groupArn: string;
  /** The reference rule's name when one is added (an existing reference keeps the team's name). */
  name: string;
  /** Whether the other rules may move down by one to free priority 0. */
  renumber: boolean;
}

export type AttachPlan =
  /** The ACL already references the group once, first, letting its actions apply. */
  | { kind: 'unchanged' }
  /** `rules`: the whole new rule list, the reference first; `done`: what changed, in words. */
  | { kind: 'changed'; rules: Rule[]; added: boolean; done: string[] }
  /** Priority 0 is `holder`'s and `renumber` was not given: nothing may change. */
  | { kind: 'priority-taken'; holder: Rule }
  /** A rule of another kind already has the reference's name, which WAF requires to be unique. */
  | { kind: 'name-taken'; holder: Rule };

const priorityOf = (rule: Rule): number => rule.Priority ?? 0;

/** The reference as it must be: OverrideAction None and nothing in the statement overriding the group's actions. */
function repaired(reference: Rule, done: string[]): Rule {
  const { ARN, ...overrides } = reference.Statement?.RuleGroupReferenceStatement ?? {};
  const fixed = { ...reference };
  if (!letsGroupActionsApply(reference)) {
    const was = Object.keys(reference.OverrideAction ?? {}).join(', ') || 'missing';
    done.push(`set ${reference.Name}'s OverrideAction to None (was ${was})`);
    fixed.OverrideAction = { None: {} };
  }
  const extra = Object.keys(overrides).filter(
    (key) => overrides[key as keyof typeof overrides] !== undefined,
  );
  if (extra.length > 0) {
    // ExcludedRules, RuleActionOverrides, a scope-down statement: each can keep a maintenance rule from blocking.
    done.push(`removed ${extra.join(', ')} from ${reference.Name}'s statement`);
    fixed.Statement = { RuleGroupReferenceStatement: { ARN } };
  }
  return fixed;
}

/**
 * Puts `reference` in front of `others`: kept where it is when already first, else at priority 0 when
 * that is free, else (with `renumber`) at 0 with every other rule one lower. Rule order is kept.
 */
function placed(
  reference: Rule,
  others: Rule[],
  renumber: boolean,
  done: string[],
): { rules: Rule[] } | { holder: Rule } {
  const lowest = Math.min(...others.map(priorityOf));
  if (priorityOf(reference) < lowest) return { rules: [reference, ...others] };
  const holder = others.find((rule) => priorityOf(rule) === 0);
  if (holder && !renumber) return { holder };
  const first = { ...reference, Priority: 0 };
  if (!holder) {
    done.push(`moved ${reference.Name} from priority ${priorityOf(reference)} to 0`);
    return { rules: [first, ...others] };
  }
  const count = others.length === 1 ? 'the other rule' : `the ${others.length} other rules`;
  done.push(`shifted ${count} down by one priority`);
  return { rules: [first, ...others.map((rule) => ({ ...rule, Priority: priorityOf(rule) + 1 }))] };
}

/**
 * What `maintenance attach` does to a web ACL's rules. Idempotent: an ACL that already carries the switch
 * as the contract says is `unchanged`; one that references the group wrongly (not first, overridden,
 * twice) is repaired rather than given a second reference.
 *
 * @example
 * planAttach(acl.Rules ?? [], { groupArn, name: 'waf-maintenance-prod', renumber: false })
 * // { kind: 'changed', added: true, done: ['added waf-maintenance-prod at priority 0'], rules: [...] }
 */
export function planAttach(rules: readonly Rule[], request: AttachRequest): AttachPlan {
  const [kept, ...duplicates] = byPriority(rules.filter((rule) => referencesGroup(rule, request.groupArn)));
  const others = rules.filter((rule) => !referencesGroup(rule, request.groupArn));
  const done: string[] = [];
  if (!kept) {
    const clash = others.find((rule) => rule.Name === request.name);
    if (clash) return { kind: 'name-taken', holder: clash };
    done.push(`added ${request.name} at priority 0`);
  }
  const reference = kept ? repaired(kept, done) : referenceRule(request.groupArn, request.name, 0);
  for (const duplicate of duplicates) {
    done.push(`removed ${duplicate.Name} (priority ${priorityOf(duplicate)}), a second reference`);
  }
  const placement = placed(reference, others, request.renumber, done);
  if ('holder' in placement) return { kind: 'priority-taken', holder: placement.holder };
  if (done.length === 0) return { kind: 'unchanged' };
  return { kind: 'changed', rules: placement.rules, added: !kept, done };
}

/**
 * What `maintenance detach` does: every rule that references the group goes, every other rule stays as
 * it is, priority included. `removed` is empty when the ACL did not reference the group.
 */
export function planDetach(rules: readonly Rule[], groupArn: string): { rules: Rule[]; removed: Rule[] } {
  return {
    rules: rules.filter((rule) => !referencesGroup(rule, groupArn)),
    removed: rules.filter((rule) => referencesGroup(rule, groupArn)),
  };
}

/** The WCUs a web ACL uses before and after the group is added, from GetWebACL's `Capacity`. */
export interface CapacityChange {
  before: number;
  after: number;
  /** The group does not fit: WAF would refuse the write. */
  exceedsMax: boolean;
  /** The ACL goes above the base price's WCUs. */
  exceedsBasePrice: boolean;
}

/**
 * What adding the group costs a web ACL that uses `before` WCUs; undefined when GetWebACL did not say.
 *
 * @example
 * capacityAfterAttach(1450) // { before: 1450, after: 1550, exceedsMax: false, exceedsBasePrice: true }
 */
export function capacityAfterAttach(before: number | undefined): CapacityChange | undefined {
  if (before === undefined) return undefined;
  const after = before + RULE_GROUP_CAPACITY;
  return {
    before,
    after,
    exceedsMax: after > MAX_WEB_ACL_CAPACITY,
    exceedsBasePrice: after > BASE_PRICE_CAPACITY,
  };
}

/** AWS refused a web ACL write for one of its limits (WAFLimitsExceededException), most often capacity. */
export class WebAclLimitError extends MisconfiguredError {}
