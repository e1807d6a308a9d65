import { jsonLogger } from '../src/adapters/json-logger';
import { API } from '../src/api/routes';
import { ValidationError } from '../src/domain/errors';
import { turnOnUntil } from '../src/use-cases/plan-window';
import { setMaintenanceMode } from '../src/use-cases/set-maintenance-mode';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';
import { type WindowDeps, windowDeps } from './lib/window-deps';

/**
 * POST /maintenance (operator): turn maintenance on or off; `changed: false` when it already was, and
 * `caller`: whether the address API Gateway saw the request come from is in the bypass set. With
 * `endsAt`, on now and off by itself then, as a window that is active at once.
 */
export function createHandler(
  deps: Pick<Deps, 'ruleGroup' | 'changes' | 'audit' | 'tokens' | 'clock' | 'policy' | 'pageStyle'> &
    Partial<Pick<Deps, 'bypass' | 'siteUrl' | 'logger'>> &
    Pick<WindowDeps, 'windows' | 'timers'>,
) {
  return httpRoute(API.setMaintenance, deps, async ({ body, principal, deadline, event }) => {
    const { endsAt, ...toggle } = body;
    const input = { ...toggle, actor: principal.name, callerIp: event.requestContext?.http?.sourceIp };
    if (endsAt !== undefined && !toggle.enabled) {
      throw new ValidationError([
        { field: 'endsAt', message: 'may only be given when turning maintenance on (enabled: true)' },
      ]);
    }
    const { status, changed, caller } =
      endsAt === undefined
        ? await setMaintenanceMode({ ...deps, deadline }, input)
        : await turnOnUntil({ ...deps, logger: deps.logger ?? jsonLogger, deadline }, { ...input, endsAt });
    return { statusCode: 200, body: { ...status, changed, ...(caller ? { caller } : {}) } };
  });
}

export const handler = createHandler({ ...awsDeps(), ...windowDeps() });
