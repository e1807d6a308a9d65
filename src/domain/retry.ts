import type { Clock } from '../ports/clock';
import { type Deadline, MIN_TIME_FOR_WRITE_MS } from './deadline';
import { ConflictError, DeadlineError, isRetryable, StaleLockError, UpstreamError } from './errors';

export interface RetryPolicy {
  /** Total time the loop may spend, retries and waits included. Fits under API Gateway's 29 s. */
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Returns a number in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: 20_000,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  random: Math.random,
};

/**
 * Runs a read-modify-write attempt until it succeeds, retrying stale lock tokens and throttling with
 * "full jitter" exponential backoff (a random wait up to base * 2^n, capped), so racing writers spread out.
 * It stops at the policy's budget or the request's deadline, whichever comes first: then a lock conflict
 * becomes ConflictError (409) and throttling UpstreamError (502). Once the request has been answered it
 * never tries again.
 *
 * @example
 * await retryOnConflict({ clock, policy, deadline }, async () => { const { acl, lockToken } = await store.get(); ... });
 */
export async function retryOnConflict<T>(
  deps: { clock: Clock; policy: RetryPolicy; deadline?: Deadline },
  attempt: () => Promise<T>,
  /**
   * An absolute time (ms) by which to stop, shared by several loops of one request; by default the budget,
   * or the last moment the deadline still lets a write start.
   */
  stopBy = Math.min(
    deps.clock.now().getTime() + deps.policy.budgetMs,
    (deps.deadline?.at ?? Number.POSITIVE_INFINITY) - MIN_TIME_FOR_WRITE_MS,
  ),
): Promise<T> {
  const { clock, policy } = deps;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (deps.deadline?.closed)
        throw new DeadlineError('Not retried: the request had been answered.', { cause: error });
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
      const delay = Math.floor(policy.random() * ceiling);
      if (clock.now().getTime() + delay >= stopBy) {
        if (error instanceof StaleLockError) {
          throw new ConflictError(
            `Another change kept winning (${n + 1} attempts); nothing was applied. Try again.`,
            { cause: error },
          );
        }
        throw new UpstreamError(`AWS kept throttling (${n + 1} attempts); nothing was applied.`, {
          cause: error,
        });
      }
      await clock.sleep(delay);
    }
  }
}
