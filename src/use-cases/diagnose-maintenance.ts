import type { RuleGroup } from '@aws-sdk/client-wafv2';
import { DomainError } from '../domain/errors';
import type { MaintenanceStatus } from '../domain/maintenance-status';
import { RULE_GROUP_CAPACITY, readSwitchState, type SwitchState } from '../domain/rule-group';
import { referenceProblems } from '../domain/rule-group-reference';
import { rulesCapacity } from '../domain/waf-capacity';
import type { ChangeLog } from '../ports/change-log';
import type { Clock } from '../ports/clock';
import type { DistributionView, EdgeInspector } from '../ports/edge-inspector';
import type { RuleGroupStore } from '../ports/rule-group-store';
import { findChange, toStatus } from './get-maintenance-status';

export interface MaintenanceReport extends MaintenanceStatus {
  /** Whether turning maintenance on would really show visitors the page: every check below passed. */
  effective: boolean;
  problems: string[];
}

/** What the switch is meant to be attached to, from the stack's configuration. */
export interface ExpectedEdge {
  /** The switch's rule group, which every web ACL below must reference. */
  groupArn: string;
  /** Every web ACL that should carry the switch. */
  webAclArns: string[];
  /** The bypass IP sets the group's pass rule must reference. */
  ipSets: { v4: string; v6: string };
  /** Managed mode: the stack's distribution (its behaviour, error pages and page are checked too). */
  distributionId?: string | undefined;
}

const ORIGIN_ERRORS = [502, 503, 504];
const SITE_PATH = '/maintenance/';
/** The edge changes rarely and its checks take several calls: one look per container per minute. */
export const EDGE_CHECKS_TTL_MS = 60_000;

const describe = (error: unknown) => (error instanceof DomainError ? error.message : String(error));

/** What is wrong with the group itself: its capacity, and the IP sets it lets through. */
function groupProblems(group: RuleGroup, state: SwitchState, expected: ExpectedEdge): string[] {
  const problems: string[] = [];
  const name = group.Name ?? 'the maintenance rule group';
  if (group.Capacity !== RULE_GROUP_CAPACITY) {
    problems.push(
      `Rule group ${name} has capacity ${group.Capacity ?? '?'} WCUs, not ${RULE_GROUP_CAPACITY}: redeploy the stack.`,
    );
  }
  const needed = rulesCapacity(group.Rules ?? []);
  if (group.Capacity !== undefined && needed > group.Capacity) {
    problems.push(`Rule group ${name} needs ${needed} WCUs, more than its capacity of ${group.Capacity}.`);
  }
  for (const [version, arn] of Object.entries(expected.ipSets) as Array<['v4' | 'v6', string]>) {
    if (state.ipSets[version] !== arn) {
      problems.push(
        `Rule group ${name} lets through IP set ${state.ipSets[version]} instead of the bypass set ${arn}: redeploy the stack.`,
      );
    }
  }
  return problems;
}

async function aclProblems(edge: EdgeInspector, arn: string, groupArn: string): Promise<string[]> {
  const [acl, distributions] = await Promise.allSettled([edge.webAcl(arn), edge.distributionsOf(arn)]);
  const name = acl.status === 'fulfilled' ? (acl.value.Name ?? arn) : arn;
  const problems =
    acl.status === 'fulfilled'
      ? referenceProblems(name, acl.value.Rules ?? [], groupArn)
      : [`Web ACL ${arn} could not be checked: ${describe(acl.reason)}`];
  if (distributions.status === 'rejected') {
    problems.push(
      `The distributions of web ACL ${name} could not be listed: ${describe(distributions.reason)}`,
    );
  } else if (distributions.value.length === 0) {
    problems.push(
      `Web ACL ${name} is associated with no CloudFront distribution: maintenance would block nobody.`,
    );
  }
  return problems;
}

function distributionProblems(d: DistributionView, webAclArns: string[]): string[] {
  const problems: string[] = [];
  if (!d.webAclId || !webAclArns.includes(d.webAclId)) {
    problems.push(
      `Distribution ${d.id} carries ${d.webAclId ?? 'no web ACL'}, not the stack's web ACL: maintenance would block nobody.`,
    );
  }
  const siteBehavior = d.behaviors.find((b) => b.pathPattern === `${SITE_PATH}*`);
  if (!siteBehavior || !d.s3OriginIds.includes(siteBehavior.targetOriginId)) {
    problems.push(
      `Distribution ${d.id} has no ${SITE_PATH}* behaviour to the S3 maintenance site: the page would have no styles or script.`,
    );
  }
  for (const code of ORIGIN_ERRORS) {
    const page = d.errorResponses.find((e) => e.errorCode === code);
    if (!page?.pagePath?.startsWith(SITE_PATH) || page.responseCode !== '503') {
      problems.push(
        `Origin ${code} errors on distribution ${d.id} do not show the maintenance page with a 503.`,
      );
    }
  }
  return problems;
}

/** Every check of the edge, side by side: each ACL (and its distributions), and in managed mode the distribution and page. */
async function edgeProblems(edge: EdgeInspector, expected: ExpectedEdge): Promise<string[]> {
  const managed = expected.distributionId
    ? [
        edge.distribution(expected.distributionId).then(
          (d) => distributionProblems(d, expected.webAclArns),
          (error: unknown) => [`The distribution could not be checked: ${describe(error)}`],
        ),
        edge
          .pageServed()
          .then((served) => (served.ok ? [] : [`The maintenance page is not served: ${served.detail}.`])),
      ]
    : [];
  const checks = await Promise.all([
    ...expected.webAclArns.map((arn) => aclProblems(edge, arn, expected.groupArn)),
    ...managed,
  ]);
  return checks.flat();
}

/**
 * The edge checks' results, kept per container for EDGE_CHECKS_TTL_MS, so that GET /maintenance costs the
 * same however many web ACLs carry the switch, and a poller does not multiply CloudFront calls. Callers
 * asking while a check runs share it.
 */
export class EdgeCheckCache {
  private entry: { at: number; problems: Promise<string[]> } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = EDGE_CHECKS_TTL_MS,
  ) {}

  /** The kept problems, or a new look when they are older than the TTL or `fresh` is asked for. */
  get(run: () => Promise<string[]>, fresh = false): Promise<string[]> {
    const now = this.clock.now().getTime();
    if (fresh || !this.entry || now - this.entry.at >= this.ttlMs) {
      const problems = run();
      this.entry = { at: now, problems };
      // A failed look is not kept: the next request looks again.
      problems.catch(() => {
        this.entry = undefined;
      });
    }
    return this.entry.problems;
  }
}

/**
 * Reports the switch's position and whether it would really work ("doctor").
 * 1. Read the rule group (never a cache) for the position and the group's own checks: its capacity, and
 *    that it lets through exactly the bypass sets.
 * 2. Meanwhile, look at the edge (cached for a minute): each web ACL that should carry the switch references
 *    the group first with OverrideAction None and is associated with a distribution; in managed mode, the
 *    distribution's /maintenance/* behaviour and error pages, and the page itself.
 * 3. `effective` is true only if nothing is wrong; each problem says what to fix. A failing check is a problem,
 *    not an error: the status itself is still reported.
 */
export async function diagnoseMaintenance(deps: {
  ruleGroup: RuleGroupStore;
  changes: ChangeLog;
  edge: EdgeInspector;
  expected: ExpectedEdge;
  edgeChecks: EdgeCheckCache;
  /** Look at the edge afresh rather than take the minute-old look (`maintenance doctor`). */
  fresh?: boolean;
  siteUrl?: string | null | undefined;
}): Promise<MaintenanceReport> {
  // The edge is looked at while the group is read: GET /maintenance pays for the slowest, not the sum.
  const edge = deps.edgeChecks.get(() => edgeProblems(deps.edge, deps.expected), deps.fresh);
  const { group } = await deps.ruleGroup.get();
  const state = readSwitchState(group);
  const [record, edgeFound] = await Promise.all([findChange(deps.changes, state.changeId), edge]);
  const problems = [...groupProblems(group, state, deps.expected), ...edgeFound];
  return { ...toStatus(state, record, deps.siteUrl), effective: problems.length === 0, problems };
}
