import type { Deadline } from '../domain/deadline';
import type { Json } from '../domain/history';
import type { RetryPolicy } from '../domain/retry';
import { retryOnConflict } from '../domain/retry';
import type { MaintenanceWindow, TimerEvent } from '../domain/windows';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Timers } from '../ports/timers';
import type { WindowStore } from '../ports/window-store';

export interface CalendarDeps {
  windows: WindowStore;
  timers: Timers;
  clock: Clock;
  policy: RetryPolicy;
  deadline: Deadline;
  logger: Logger;
}

/**
 * Reads the calendar, has `change` work out its next windows (or refuse, by throwing), and writes them back
 * under the version it read; a newer version in between means a fresh read and another go, within the
 * retry policy. `change` returning the very array it was given writes nothing.
 */
export async function changeCalendar<T>(
  deps: CalendarDeps,
  change: (windows: MaintenanceWindow[]) => { windows: MaintenanceWindow[]; result: T },
): Promise<T> {
  return retryOnConflict(deps, async () => {
    const calendar = await deps.windows.read();
    const next = change(calendar.windows);
    if (next.windows === calendar.windows) return next.result;
    deps.deadline.assertMayWrite('the calendar');
    await deps.windows.write(next.windows, calendar.version);
    return next.result;
  });
}

/** A window's own timers: its start's (while scheduled) and its end's. */
export function timersOf(window: Pick<MaintenanceWindow, 'id'>): [TimerEvent, TimerEvent] {
  return [
    { kind: 'window.start', windowId: window.id },
    { kind: 'window.end', windowId: window.id },
  ];
}

/**
 * Deletes timers that may no longer fire usefully, as far as the deadline allows. A failure is logged, not
 * thrown: a timer whose window is gone from the calendar, or no longer holds the switch, changes nothing
 * when it fires (run-timer.ts), so a leftover one is harmless.
 */
export async function clearTimers(deps: CalendarDeps, events: TimerEvent[]): Promise<void> {
  await Promise.all(
    events.map(async (event) => {
      try {
        deps.deadline.assertMayWrite('a schedule deletion');
        await deps.timers.clear(event);
      } catch (error) {
        deps.logger.warn('timer-clear-failed', { event: event.kind, error });
      }
    }),
  );
}

/** A window as its history entries describe it. */
export function windowDetails(window: MaintenanceWindow): { [key: string]: Json } {
  return {
    windowId: window.id,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
    reason: window.reason,
    retryAfterSeconds: window.retryAfterSeconds,
  };
}
