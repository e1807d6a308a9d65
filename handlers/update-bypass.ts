import * as z from 'zod/mini';
import { MAX_ADDRESSES_PER_VERSION } from '../src/domain/bypass-plan';
import { updateBypassSet } from '../src/use-cases/update-bypass-set';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

// Entries stay `unknown` here: the core's one address parser judges each, so the HTTP API, Slack and the
// CLI refuse exactly the same things, each named by its position (`add[3]`).
const addresses = z.optional(z.array(z.unknown()).check(z.maxLength(2 * MAX_ADDRESSES_PER_VERSION)));
export const updateBypassBody = z.strictObject({ add: addresses, remove: addresses });

/** POST /maintenance/bypass (admin): add and/or remove addresses, all or nothing. */
export function createHandler(deps: Pick<Deps, 'bypass' | 'tokens' | 'clock' | 'policy'>) {
  return httpRoute(
    { role: 'admin', tokens: deps.tokens, body: updateBypassBody, clock: deps.clock },
    async ({ body, principal, deadline }) => {
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
    },
  );
}

export const handler = createHandler(awsDeps());
