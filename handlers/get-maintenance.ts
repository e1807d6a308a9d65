import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { clientConfig } from '../src/adapters/aws/clients';
import { CloudFrontEdge } from '../src/adapters/aws/cloudfront-edge';
import { API } from '../src/api/routes';
import { loadConfig, loadEdgeConfig } from '../src/config';
import { systemClock } from '../src/ports/clock';
import type { EdgeInspector } from '../src/ports/edge-inspector';
import {
  diagnoseMaintenance,
  EdgeCheckCache,
  type ExpectedEdge,
} from '../src/use-cases/diagnose-maintenance';
import { awsDeps, type Deps } from './lib/aws-deps';
import { header, httpRoute } from './lib/http';

/** `Cache-Control: no-cache` (RFC 9111 §5.2.1.4): the client wants a fresh look at the edge, not a kept one. */
function asksForFresh(event: Parameters<typeof header>[0]): boolean {
  return /(^|,)\s*no-cache\s*(,|$)/i.test(header(event, 'cache-control') ?? '');
}

/**
 * GET /maintenance (operator): the switch's position, read from the rule group itself, and whether it is
 * effective: `effective` and `problems` from looking at the web ACLs, distributions and page (kept for a
 * minute per container, unless the request says `Cache-Control: no-cache`; the position is never kept).
 */
export function createHandler(
  deps: Pick<Deps, 'ruleGroup' | 'changes' | 'tokens' | 'clock'> &
    Partial<Pick<Deps, 'siteUrl' | 'logger'>> & {
      edge: EdgeInspector;
      expected: ExpectedEdge;
      edgeChecks?: EdgeCheckCache;
    },
) {
  const edgeChecks = deps.edgeChecks ?? new EdgeCheckCache(deps.clock);
  return httpRoute(API.getMaintenance, deps, async ({ event }) => ({
    statusCode: 200,
    body: await diagnoseMaintenance({ ...deps, edgeChecks, fresh: asksForFresh(event) }),
  }));
}

function edgeFromEnv(): { edge: EdgeInspector; expected: ExpectedEdge } {
  const config = loadConfig();
  const edgeConfig = loadEdgeConfig();
  // CloudFront's API has a single global endpoint, signed for us-east-1.
  const edge = new CloudFrontEdge(
    {
      cloudfront: new CloudFrontClient(clientConfig('us-east-1')),
      waf: new WAFV2Client(clientConfig(config.AWS_REGION)),
    },
    { pageUrl: edgeConfig.SITE_PAGE_URL, lookup: edgeConfig.DISTRIBUTION_LOOKUP },
  );
  return {
    edge,
    expected: {
      groupArn: config.RULE_GROUP_ARN,
      webAclArns: edgeConfig.WEB_ACL_ARNS,
      ipSets: { v4: config.BYPASS_IPV4_ARN, v6: config.BYPASS_IPV6_ARN },
      distributionId: edgeConfig.DISTRIBUTION_ID || undefined,
    },
  };
}

export const handler = createHandler({ ...awsDeps(), ...edgeFromEnv(), clock: systemClock });
