import * as z from 'zod/mini';
import { MAX_REASON_LENGTH, MAX_RETRY_AFTER_SECONDS } from '../src/domain/maintenance-status';
import { setMaintenanceMode } from '../src/use-cases/set-maintenance-mode';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

export const setMaintenanceBody = z.strictObject({
  enabled: z.boolean(),
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_REASON_LENGTH))),
  retryAfterSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_RETRY_AFTER_SECONDS))),
});

/** POST /maintenance (operator): turn maintenance on or off; `changed: false` when it already was. */
export function createHandler(deps: Pick<Deps, 'webAcl' | 'changes' | 'tokens' | 'clock' | 'policy'>) {
  return httpRoute(
    { role: 'operator', tokens: deps.tokens, body: setMaintenanceBody },
    async ({ body, principal }) => {
      const { status, changed } = await setMaintenanceMode(deps, { ...body, actor: principal.name });
      return { statusCode: 200, body: { ...status, changed } };
    },
  );
}

export const handler = createHandler(awsDeps());
