import { API } from '../src/api/routes';
import { listWindows } from '../src/use-cases/list-windows';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';
import { calendarStore, type WindowDeps } from './lib/window-deps';

/** GET /maintenance/windows (operator): the scheduled and active windows, by start. */
export function createHandler(
  deps: Pick<Deps, 'tokens' | 'clock'> & Partial<Pick<Deps, 'logger'>> & Pick<WindowDeps, 'windows'>,
) {
  return httpRoute(API.listWindows, deps, async () => ({ statusCode: 200, body: await listWindows(deps) }));
}

export const handler = createHandler({ ...awsDeps(), windows: calendarStore() });
