import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { clientConfig } from '../src/adapters/aws/clients';
import { CloudFrontEdge } from '../src/adapters/aws/cloudfront-edge';
import { loadEdgeConfig } from '../src/config';
import type { EdgeInspector } from '../src/ports/edge-inspector';
import { diagnoseMaintenance } from '../src/use-cases/diagnose-maintenance';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/**
 * GET /maintenance (operator): the switch's position, read from the web ACL itself, and whether it is
 * effective: `effective` and `problems` from looking at the distribution and the page it serves.
 */
export function createHandler(deps: Pick<Deps, 'webAcl' | 'changes' | 'tokens'> & { edge: EdgeInspector }) {
  return httpRoute({ role: 'operator', tokens: deps.tokens }, async () => ({
    statusCode: 200,
    body: await diagnoseMaintenance(deps),
  }));
}

function edgeFromEnv(): EdgeInspector {
  const config = loadEdgeConfig();
  // CloudFront's API has a single global endpoint, signed for us-east-1.
  return new CloudFrontEdge(
    new CloudFrontClient(clientConfig('us-east-1')),
    config.DISTRIBUTION_ID,
    config.SITE_PAGE_URL,
  );
}

export const handler = createHandler({ ...awsDeps(), edge: edgeFromEnv() });
