import { API } from '../src/api/routes';
import { setMaintenanceMode } from '../src/use-cases/set-maintenance-mode';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/** POST /maintenance (operator): turn maintenance on or off; `changed: false` when it already was. */
export function createHandler(
  deps: Pick<Deps, 'ruleGroup' | 'changes' | 'tokens' | 'clock' | 'policy' | 'pageStyle'>,
) {
  return httpRoute(API.setMaintenance, deps, async ({ body, principal, deadline }) => {
    const { status, changed } = await setMaintenanceMode(
      { ...deps, deadline },
      { ...body, actor: principal.name },
    );
    return { statusCode: 200, body: { ...status, changed } };
  });
}

export const handler = createHandler(awsDeps());
