import { getMaintenanceStatus } from '../src/use-cases/get-maintenance-status';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/** GET /maintenance (operator): the switch's position, read from the web ACL itself. */
export function createHandler(deps: Pick<Deps, 'webAcl' | 'changes' | 'tokens'>) {
  return httpRoute({ role: 'operator', tokens: deps.tokens }, async () => ({
    statusCode: 200,
    body: await getMaintenanceStatus(deps),
  }));
}

export const handler = createHandler(awsDeps());
