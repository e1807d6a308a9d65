import { API } from '../src/api/routes';
import { updateExemptions } from '../src/use-cases/update-exemptions';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/**
 * POST /maintenance/exemptions (admin): add and/or remove exempt paths, all or nothing; who changed which
 * goes to the history.
 */
export function createHandler(
  deps: Pick<Deps, 'ruleGroup' | 'audit' | 'tokens' | 'clock' | 'policy'> & Partial<Pick<Deps, 'logger'>>,
) {
  return httpRoute(API.updateExemptions, deps, async ({ body, principal, deadline }) => {
    const result = await updateExemptions({ ...deps, deadline }, { ...body, actor: principal.name });
    return { statusCode: 200, body: result };
  });
}

export const handler = createHandler(awsDeps());
