import { API } from '../src/api/routes';
import { setMaintenanceMode } from '../src/use-cases/set-maintenance-mode';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/**
 * POST /maintenance (operator): turn maintenance on or off; `changed: false` when it already was, and
 * `caller`: whether the address API Gateway saw the request come from is in the bypass set.
 */
export function createHandler(
  deps: Pick<Deps, 'ruleGroup' | 'changes' | 'audit' | 'tokens' | 'clock' | 'policy' | 'pageStyle'> &
    Partial<Pick<Deps, 'bypass' | 'siteUrl' | 'logger'>>,
) {
  return httpRoute(API.setMaintenance, deps, async ({ body, principal, deadline, event }) => {
    const { status, changed, caller } = await setMaintenanceMode(
      { ...deps, deadline },
      { ...body, actor: principal.name, callerIp: event.requestContext?.http?.sourceIp },
    );
    return { statusCode: 200, body: { ...status, changed, ...(caller ? { caller } : {}) } };
  });
}

export const handler = createHandler(awsDeps());
