import { AsyncLocalStorage } from 'node:async_hooks';
import type { Deadline } from '../../domain/deadline';

const scope = new AsyncLocalStorage<Deadline>();

/**
 * Runs `work` as one request under `deadline`: every AWS call made inside it, however deep and however
 * late (a promise chain that outlives the answer, or one frozen with the Lambda container and resumed at
 * the next invocation), goes through the deadline's checks in {@link DeadlineHttpHandler}. Carrying it in
 * the async context rather than as an argument means no adapter, paginator or future call can forget it.
 *
 * @example
 * const deadline = Deadline.in(systemClock, 27_000);
 * try { return await runUnder(deadline, () => setMaintenanceMode(deps, input)); } finally { deadline.close(); }
 */
export function runUnder<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
  return scope.run(deadline, work);
}

/** The deadline of the request this code runs for; undefined outside one (the CLI, local provisioning). */
export function currentDeadline(): Deadline | undefined {
  return scope.getStore();
}
