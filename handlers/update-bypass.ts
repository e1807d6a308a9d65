import { API } from '../src/api/routes';
import { updateBypassSet } from '../src/use-cases/update-bypass-set';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/** POST /maintenance/bypass (admin): add and/or remove addresses, all or nothing. */
export function createHandler(deps: Pick<Deps, 'bypass' | 'tokens' | 'clock' | 'policy'>) {
  return httpRoute(API.updateBypass, deps, async ({ body, principal, deadline }) => {
    const result = await updateBypassSet({ ...deps, deadline }, body);
    // The audit trail of who let which addresses through (CloudWatch Logs).
    console.info(
      JSON.stringify({
        event: 'bypass-updated',
        by: principal.name,
        added: result.added,
        removed: result.removed,
      }),
    );
    return { statusCode: 200, body: result };
  });
}

export const handler = createHandler(awsDeps());
