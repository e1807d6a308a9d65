import { API } from '../src/api/routes';
import { listExemptions } from '../src/use-cases/list-exemptions';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/** GET /maintenance/exemptions (operator): the paths that reach the origin even during maintenance. */
export function createHandler(deps: Pick<Deps, 'ruleGroup' | 'tokens'> & Partial<Pick<Deps, 'logger'>>) {
  return httpRoute(API.getExemptions, deps, async () => ({
    statusCode: 200,
    body: await listExemptions(deps),
  }));
}

export const handler = createHandler(awsDeps());
