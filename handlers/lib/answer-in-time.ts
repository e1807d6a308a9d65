import type { Context } from 'aws-lambda';
import { runUnder } from '../../src/adapters/aws/deadline-scope';
import { Deadline } from '../../src/domain/deadline';
import { DeadlineError } from '../../src/domain/errors';
import type { Clock } from '../../src/ports/clock';

/**
 * The answer goes out at least this long before the Lambda's own timeout, which API Gateway would turn
 * into a bare 500/503 saying nothing about what happened.
 */
export const ANSWER_MARGIN_MS = 1_000;

/** The request's deadline: its Lambda's remaining time less the margin, or sooner (`capMs`, e.g. Slack's 3 s). */
export function requestDeadline(context: Context, clock: Clock, capMs = Number.POSITIVE_INFINITY): Deadline {
  const remaining = context?.getRemainingTimeInMillis?.() ?? capMs;
  return Deadline.in(clock, Math.min(capMs, remaining - ANSWER_MARGIN_MS));
}

/**
 * Runs one request's work under its deadline (see deadline-scope.ts) and settles by the deadline whatever
 * happens: with the work's own result or error, or with a DeadlineError when the time is up first. Either
 * way the deadline is closed before this returns, so once the caller answers, nothing the work started can
 * send anything to AWS any more: a promise chain still running fails at its next call.
 *
 * @example
 * const deadline = requestDeadline(context, systemClock);
 * const status = await answerInTime(deadline, () => setMaintenanceMode({ ...deps, deadline }, input));
 */
export async function answerInTime<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineError('AWS did not answer in time.')),
      Math.max(0, deadline.remainingMs()),
    );
  });
  try {
    return await Promise.race([runUnder(deadline, work), timeUp]);
  } finally {
    clearTimeout(timer);
    deadline.close();
  }
}
