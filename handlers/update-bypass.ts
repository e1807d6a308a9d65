import { API } from '../src/api/routes';
import { updateBypassSet } from '../src/use-cases/update-bypass-set';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/**
 * POST /maintenance/bypass (admin): add and/or remove addresses, all or nothing; who let which addresses
 * through goes to the history.
 */
export function createHandler(
  deps: Pick<Deps, 'bypass' | 'audit' | 'tokens' | 'clock' | 'policy'> & Partial<Pick<Deps, 'logger'>>,
) {
  return httpRoute(API.updateBypass, deps, async ({ body, principal, deadline }) => {
    const result = await updateBypassSet({ ...deps, deadline }, { ...body, actor: principal.name });
    return { statusCode: 200, body: result };
  });
}

export const handler = createHandler(awsDeps());
