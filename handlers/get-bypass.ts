import { API } from '../src/api/routes';
import { listBypassSet } from '../src/use-cases/list-bypass-set';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/** GET /maintenance/bypass (operator): the addresses that still reach the site during maintenance. */
export function createHandler(deps: Pick<Deps, 'bypass' | 'tokens'> & Partial<Pick<Deps, 'logger'>>) {
  return httpRoute(API.getBypass, deps, async () => ({
    statusCode: 200,
    body: await listBypassSet(deps),
  }));
}

export const handler = createHandler(awsDeps());
