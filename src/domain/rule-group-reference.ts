import type { Rule } from '@aws-sdk/client-wafv2';

/**
 * How a web ACL carries the switch: one rule whose statement references the switch's rule group, with
 * `OverrideAction: None` (the group's own actions apply: Count passes on, Block answers the 503), at a
 * lower priority number than every other rule of the ACL, so nothing the team allows earlier gets past it.
 */

/** The name of the reference rule in a web ACL; the stage's rule group has the same name. */
export function ruleGroupName(stage: string): string {
  return `waf-maintenance-${stage}`;
}

/**
 * The rule that puts the switch's group in front of a web ACL.
 *
 * @example
 * referenceRule('arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/waf-maintenance-prod/…', 'waf-maintenance-prod', 0)
 */
export function referenceRule(groupArn: string, name: string, priority: number): Rule {
  return {
    Name: name,
    Priority: priority,
    OverrideAction: { None: {} },
    Statement: { RuleGroupReferenceStatement: { ARN: groupArn } },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
  };
}

/** Whether `rule` references the group `groupArn` (whatever the rule is called). */
export function referencesGroup(rule: Rule, groupArn: string): boolean {
  return rule.Statement?.RuleGroupReferenceStatement?.ARN === groupArn;
}

/**
 * Whether a rule that references the group lets the group's own actions apply (`OverrideAction: None`);
 * any other override turns every Block of the group into a Count, so maintenance never blocks.
 */
export function letsGroupActionsApply(rule: Rule): boolean {
  return Boolean(rule.OverrideAction?.None);
}

/** The ACL's rules in the order WAF evaluates them: by priority, lowest first. */
export function byPriority(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
}

/**
 * What is wrong with how a web ACL carries the switch, in words; empty when it is right: the reference is
 * there, is evaluated first, and lets the group's own actions apply.
 */
export function referenceProblems(aclName: string, rules: readonly Rule[], groupArn: string): string[] {
  const ordered = byPriority(rules);
  const index = ordered.findIndex((rule) => referencesGroup(rule, groupArn));
  if (index === -1) {
    return [
      `Web ACL ${aclName} does not reference the maintenance rule group: run maintenance attach --web-acl <its ARN>.`,
    ];
  }
  const reference = ordered[index] as Rule;
  const problems: string[] = [];
  if (index > 0) {
    const first = ordered[0] as Rule;
    problems.push(
      `Web ACL ${aclName} evaluates rule "${first.Name}" (priority ${first.Priority}) before the maintenance rule group: give the reference the lowest priority (maintenance attach --renumber).`,
    );
  }
  if (!letsGroupActionsApply(reference)) {
    problems.push(
      `Web ACL ${aclName} overrides the maintenance rule group's actions (OverrideAction ${Object.keys(reference.OverrideAction ?? {}).join(', ') || 'missing'}): it must be None, or maintenance never blocks.`,
    );
  }
  return problems;
}
