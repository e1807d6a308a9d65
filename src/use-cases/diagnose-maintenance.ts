import type { WebACL } from '@aws-sdk/client-wafv2';
import { DomainError } from '../domain/errors';
import { isMaintenanceRule, readMaintenanceRule } from '../domain/maintenance-rules';
import type { MaintenanceStatus } from '../domain/maintenance-status';
import type { ChangeLog } from '../ports/change-log';
import type { DistributionView, EdgeInspector } from '../ports/edge-inspector';
import type { WebAclStore } from '../ports/web-acl-store';
import { findChange, toStatus } from './get-maintenance-status';

export interface MaintenanceReport extends MaintenanceStatus {
  /** Whether turning maintenance on would really show visitors the page: every check below passed. */
  effective: boolean;
  problems: string[];
}

const ORIGIN_ERRORS = [502, 503, 504];
const SITE_PATH = '/maintenance/';

/** Maintenance rules must be evaluated before any other rule, or an earlier Allow lets visitors through. */
function ruleOrderProblems(acl: WebACL): string[] {
  const rules = acl.Rules ?? [];
  const ours = rules.filter(isMaintenanceRule);
  const lastOfOurs = Math.max(...ours.map((r) => r.Priority ?? 0));
  return rules
    .filter((r) => !isMaintenanceRule(r) && (r.Priority ?? 0) < lastOfOurs)
    .map(
      (r) =>
        `Rule "${r.Name}" (priority ${r.Priority}) runs before the maintenance rules; give it a priority above ${lastOfOurs}.`,
    );
}

function distributionProblems(acl: WebACL, d: DistributionView): string[] {
  const problems: string[] = [];
  if (d.webAclId !== acl.ARN) {
    problems.push(
      `The web ACL is not attached to distribution ${d.id} (it carries ${d.webAclId ?? 'no web ACL'}): maintenance would block nobody.`,
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

type DistributionCheck = { view: DistributionView } | { error: string };

function inspectDistribution(edge: EdgeInspector): Promise<DistributionCheck> {
  return edge.distribution().then(
    (view) => ({ view }),
    (error: unknown) => ({ error: error instanceof DomainError ? error.message : String(error) }),
  );
}

/**
 * Reports the switch's position and whether it would really work ("doctor").
 * 1. Read the web ACL (never a cache) and, meanwhile, the distribution and the page through the edge.
 * 2. Check: the ACL is attached to the distribution; the maintenance rules come first; origin 502/503/504
 *    show the maintenance page with a 503; the /maintenance/* behaviour reaches the S3 site; the page is served.
 * 3. `effective` is true only if nothing is wrong; each problem says what to fix. A failing check is a problem,
 *    not an error: the status itself is still reported.
 */
export async function diagnoseMaintenance(deps: {
  webAcl: WebAclStore;
  changes: ChangeLog;
  edge: EdgeInspector;
}): Promise<MaintenanceReport> {
  // The edge is looked at while the web ACL is read: GET /maintenance pays for the slowest, not the sum.
  const distribution = inspectDistribution(deps.edge);
  const page = deps.edge.pageServed();
  const { acl } = await deps.webAcl.get();
  const rule = readMaintenanceRule(acl);
  const [record, checked, served] = await Promise.all([
    findChange(deps.changes, rule.changeId),
    distribution,
    page,
  ]);
  const problems = [
    ...ruleOrderProblems(acl),
    ...('view' in checked
      ? distributionProblems(acl, checked.view)
      : [`The distribution could not be checked: ${checked.error}`]),
    ...(served.ok ? [] : [`The maintenance page is not served: ${served.detail}.`]),
  ];
  return { ...toStatus(rule, record), effective: problems.length === 0, problems };
}
