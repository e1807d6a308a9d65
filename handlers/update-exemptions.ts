import { API } from '../src/api/routes';
import { updateExemptions } from '../src/use-cases/update-exemptions';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/** POST /maintenance/exemptions (admin): add and/or remove exempt paths, all or nothing. */
export function createHandler(deps: Pick<Deps, 'ruleGroup' | 'tokens' | 'clock' | 'policy'>) {
  return httpRoute(API.updateExemptions, deps, async ({ body, principal, deadline }) => {
    const result = await updateExemptions({ ...deps, deadline }, body);
    const { added, removed } = result;
    // The audit trail of who let which paths past maintenance (CloudWatch Logs).
    console.info(JSON.stringify({ event: 'exemptions-updated', by: principal.name, added, removed }));
    return { statusCode: 200, body: result };
  });
}

export const handler = createHandler(awsDeps());
