import { API } from '../src/api/routes';
import { NotFoundError } from '../src/domain/errors';
import { isWindowId } from '../src/domain/windows';
import { cancelWindow } from '../src/use-cases/cancel-window';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';
import { type WindowDeps, windowDeps } from './lib/window-deps';

/**
 * DELETE /maintenance/windows/{id} (operator): a scheduled window never starts; an active one ends now
 * (maintenance off, unless someone took over). 200 with the window, `cancelled`; 404 for any other id.
 */
export function createHandler(
  deps: Pick<
    Deps,
    'ruleGroup' | 'changes' | 'audit' | 'tokens' | 'clock' | 'policy' | 'pageStyle' | 'logger'
  > &
    Partial<Pick<Deps, 'siteUrl'>> &
    Pick<WindowDeps, 'windows' | 'timers'>,
) {
  return httpRoute(API.cancelWindow, deps, async ({ principal, deadline, event }) => {
    const id = event.pathParameters?.id ?? '';
    if (!isWindowId(id))
      throw new NotFoundError(`No scheduled or active window has the id ${JSON.stringify(id)}.`);
    const { window } = await cancelWindow({ ...deps, deadline }, { id, actor: principal.name });
    return { statusCode: 200, body: window };
  });
}

export const handler = createHandler({ ...awsDeps(), ...windowDeps() });
