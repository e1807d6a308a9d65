import { API } from '../src/api/routes';
import { scheduleWindow } from '../src/use-cases/plan-window';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';
import { type WindowDeps, windowDeps } from './lib/window-deps';

/** POST /maintenance/windows (operator): plan maintenance that starts and ends by itself; 201 with the window. */
export function createHandler(
  deps: Pick<Deps, 'audit' | 'tokens' | 'clock' | 'policy' | 'logger'> &
    Pick<WindowDeps, 'windows' | 'timers'>,
) {
  return httpRoute(API.createWindow, deps, async ({ body, principal, deadline }) => ({
    statusCode: 201,
    body: await scheduleWindow({ ...deps, deadline }, { ...body, actor: principal.name }),
  }));
}

export const handler = createHandler({ ...awsDeps(), ...windowDeps() });
