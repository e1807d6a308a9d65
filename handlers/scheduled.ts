import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { TimerEvent } from '../src/domain/windows';
import { type RunTimerDeps, runTimer, type TimerOutcome } from '../src/use-cases/run-timer';
import { answerInTime, requestDeadline } from './lib/answer-in-time';
import { awsDeps } from './lib/aws-deps';
import { slackWebhook } from './lib/webhook-deps';
import { windowDeps } from './lib/window-deps';

/** What a timer hands the function (eventbridge-timers.ts writes it): the event, and the moment it is for. */
const timerInput = z.object({
  event: z.union([
    z.object({ kind: z.enum(['window.start', 'window.end']), windowId: z.string() }),
    z.object({ kind: z.literal('reminder'), turn: z.literal([0, 1]) }),
  ]),
  at: z.iso.datetime(),
});

/**
 * EventBridge Scheduler invokes targets with 60-second precision: a schedule for 02:00:30 runs between
 * 02:00:00 and 02:00:59 (EventBridge Scheduler User Guide, "Schedule types"). One that comes early waits
 * for its moment, at most this long, so a window starts and ends on its second, not its minute.
 */
export const MAX_EARLY_WAIT_MS = 61_000;

/**
 * The function every timer invokes: a window's start or end, or the reminder's turn. A malformed event is
 * logged and dropped (a retry would not mend it); a failure is thrown, so Lambda's asynchronous retries run
 * it again, which every case allows (each reads the state afresh and acts only if it still applies).
 */
export function createHandler(deps: Omit<RunTimerDeps, 'deadline'>) {
  return middy<unknown, TimerOutcome | undefined, Error, Context>().handler(async (raw, context) => {
    const parsed = timerInput.safeParse(raw);
    if (!parsed.success) {
      deps.logger.error('timer-event-refused', { issues: parsed.error.issues.map((i) => i.message) });
      return undefined;
    }
    const { at } = parsed.data;
    const event = parsed.data.event as TimerEvent;
    const early = Date.parse(at) - deps.clock.now().getTime();
    if (early > 0 && early <= MAX_EARLY_WAIT_MS) await deps.clock.sleep(early);
    // Far earlier than Scheduler's precision explains (a clock far off?): acting now beats never acting,
    // since the schedule is gone once it has fired. Said, so that it can be looked into.
    else if (early > MAX_EARLY_WAIT_MS)
      deps.logger.warn('timer-early', { event: event.kind, at, earlyMs: early });
    // Runs under a deadline like a request: when the function's time is up, nothing it started goes on.
    const deadline = requestDeadline(context, deps.clock);
    const outcome = await answerInTime(deadline, () => runTimer({ ...deps, deadline }, event));
    deps.logger.info('timer-ran', { ...outcome, at });
    return outcome;
  });
}

function scheduledDeps(env: NodeJS.ProcessEnv = process.env): Omit<RunTimerDeps, 'deadline'> {
  return { ...awsDeps(env), ...windowDeps(env), webhook: slackWebhook(env) };
}

export const handler = createHandler(scheduledDeps());
