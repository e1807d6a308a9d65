import { randomUUID } from 'node:crypto';
import { ConflictError, PartialChangeError, ValidationError } from '../domain/errors';
import {
  checkWindow,
  findOverlap,
  isPending,
  type MaintenanceWindow,
  retryAfterFor,
  type TimerEvent,
  WINDOW_LIMITS,
} from '../domain/windows';
import type { AuditLog } from '../ports/audit-log';
import type { WindowStore } from '../ports/window-store';
import { recordHistory } from './record-history';
import {
  type SetMaintenanceDeps,
  type SetMaintenanceResult,
  setMaintenanceMode,
} from './set-maintenance-mode';
import { type CalendarDeps, changeCalendar, clearTimers, timersOf, windowDetails } from './window-calendar';

export interface PlanWindowDeps extends CalendarDeps {
  audit: AuditLog;
  newId?: () => string;
}

export interface ScheduleWindowInput {
  startsAt: string;
  endsAt: string;
  reason?: string | undefined;
  retryAfterSeconds?: number | undefined;
  /** Token name or Slack user, recorded as `createdBy`. */
  actor: string;
}

const iso = (date: Date) => date.toISOString();

/**
 * Adds `window` to the calendar unless another pending window's time overlaps it (409) or too many are
 * pending; windows no longer pending are dropped on the way.
 */
function addTo(
  windows: MaintenanceWindow[],
  window: MaintenanceWindow,
  blocking: (w: MaintenanceWindow) => boolean,
  now: Date,
): MaintenanceWindow[] {
  // A write whose answer was lost, tried again: the window is already there.
  if (windows.some((w) => w.id === window.id)) return windows;
  const overlap = findOverlap(windows.filter(blocking), window, now);
  if (overlap) {
    throw new ConflictError(
      `The window overlaps window ${overlap.id} (${overlap.startsAt} to ${overlap.endsAt}, ${overlap.state}); nothing was scheduled.`,
    );
  }
  const pending = windows.filter((w) => isPending(w, now));
  if (pending.length >= WINDOW_LIMITS.maxPending) {
    throw new ConflictError(
      `${WINDOW_LIMITS.maxPending} windows are already scheduled or active, the most there may be; cancel one first.`,
    );
  }
  return [...pending, window];
}

/**
 * Adds a window to the calendar. Refused (an overlap, too many, a conflict that outlasted the retries:
 * nothing was written), or failed before any write was sent, its timers are deleted again. Any other
 * failure may have come after the write reached DynamoDB, its answer lost: the timers then stay, since a
 * window without its timers would be listed and block others without ever starting, while a timer without
 * its window does nothing when it fires. Answers how many other active windows the calendar held.
 */
async function addToCalendar(
  deps: PlanWindowDeps,
  window: MaintenanceWindow,
  blocking: (w: MaintenanceWindow) => boolean,
  now: Date,
  timers: TimerEvent[],
): Promise<number> {
  let sent = false;
  const calendar: WindowStore = {
    read: () => deps.windows.read(),
    write: (windows, version) => {
      sent = true;
      return deps.windows.write(windows, version);
    },
  };
  try {
    return await changeCalendar({ ...deps, windows: calendar }, (windows) => ({
      windows: addTo(windows, window, blocking, now),
      result: windows.filter((w) => w.state === 'active' && w.id !== window.id).length,
    }));
  } catch (error) {
    if (!sent || error instanceof ConflictError) await clearTimers(deps, timers);
    throw error;
  }
}

/**
 * Plans a window: maintenance turns on at `startsAt` and off at `endsAt` by itself.
 * 1. Check the times and words (a 400 naming each bad field).
 * 2. Set its two timers. They go first: a timer whose window is not in the calendar does nothing when it
 *    fires, so a failure after this point leaves nothing that acts.
 * 3. Add it to the calendar under the calendar's version: the overlap check and the write are one step,
 *    so of two overlapping windows planned at once, one is refused (409).
 * 4. Its history entry (`window.create`).
 * A refusal at 3, or a failure at 2, deletes the timers again, as far as the deadline allows.
 */
export async function scheduleWindow(
  deps: PlanWindowDeps,
  input: ScheduleWindowInput,
): Promise<MaintenanceWindow> {
  const now = deps.clock.now();
  const checked = checkWindow(input, now);
  if (!checked.ok) throw new ValidationError(checked.errors);
  const window: MaintenanceWindow = {
    id: (deps.newId ?? randomUUID)(),
    startsAt: iso(checked.startsAt),
    endsAt: iso(checked.endsAt),
    reason: checked.reason,
    retryAfterSeconds: checked.retryAfterSeconds,
    state: 'scheduled',
    createdBy: input.actor,
    createdAt: iso(now),
  };
  const [start, end] = timersOf(window);
  try {
    deps.deadline.assertMayWrite("the window's schedules");
    await Promise.all([deps.timers.set(start, checked.startsAt), deps.timers.set(end, checked.endsAt)]);
  } catch (error) {
    await clearTimers(deps, [start, end]);
    throw error;
  }
  await addToCalendar(deps, window, (w) => isPending(w, now), now, [start, end]);
  await recordHistory(deps, {
    actor: input.actor,
    action: 'window.create',
    details: windowDetails(window),
    said: `The window ${window.id} was scheduled`,
  });
  return window;
}

export interface TurnOnUntilInput {
  endsAt: string;
  reason?: string | undefined;
  retryAfterSeconds?: number | undefined;
  actor: string;
  callerIp?: string | undefined;
}

/**
 * `POST /maintenance {"enabled": true, "endsAt": ...}`: maintenance on now, and off by itself at `endsAt`,
 * as a window that is active at once. It may not overlap a scheduled window (409); an active one it takes
 * over (that one's end will find the switch no longer its own, and leave it alone).
 * 1. Check `endsAt` (in the future, at most 7 days ahead), the reason and Retry-After.
 * 2. Set the end's timer; add the window to the calendar, active.
 * 3. Turn maintenance on as this window (its change record carries the window's id and end).
 * 4. Only then do the active windows it took over leave the calendar, with their end timers.
 * If 3 fails, the window leaves the calendar and its timer is deleted again; the calendar is otherwise as
 * it was.
 */
export async function turnOnUntil(
  deps: PlanWindowDeps & Omit<SetMaintenanceDeps, 'deadline'>,
  input: TurnOnUntilInput,
): Promise<SetMaintenanceResult & { window: MaintenanceWindow }> {
  const now = deps.clock.now();
  const checked = checkWindow(input, now, { startsNow: true });
  if (!checked.ok) throw new ValidationError(checked.errors);
  const window: MaintenanceWindow = {
    id: (deps.newId ?? randomUUID)(),
    startsAt: iso(now),
    endsAt: iso(checked.endsAt),
    reason: checked.reason,
    retryAfterSeconds: checked.retryAfterSeconds,
    state: 'active',
    createdBy: input.actor,
    createdAt: iso(now),
  };
  const end = { kind: 'window.end', windowId: window.id } as const;
  try {
    deps.deadline.assertMayWrite("the window's end schedule");
    await deps.timers.set(end, checked.endsAt);
  } catch (error) {
    await clearTimers(deps, [end]);
    throw error;
  }
  // An active window does not block it: this one takes over (4, once maintenance is its own).
  const active = await addToCalendar(deps, window, (w) => w.state === 'scheduled' && isPending(w, now), now, [
    end,
  ]);
  let result: SetMaintenanceResult;
  try {
    result = await setMaintenanceMode(deps, {
      enabled: true,
      reason: input.reason,
      retryAfterSeconds: retryAfterFor(window, now),
      actor: input.actor,
      callerIp: input.callerIp,
      window: { id: window.id, endsAt: window.endsAt },
    });
  } catch (error) {
    // A partial change is one that was applied: the window holds the switch and must still end it.
    if (!(error instanceof PartialChangeError)) await withdraw(deps, window);
    throw error;
  }
  if (active > 0) await retire(deps, window);
  return { ...result, window };
}

/** Takes a toggle's window that never came to hold the switch out of the calendar, and deletes its end's timer. Best effort. */
async function withdraw(deps: PlanWindowDeps, window: MaintenanceWindow): Promise<void> {
  try {
    await changeCalendar(deps, (windows) =>
      windows.some((w) => w.id === window.id)
        ? { windows: windows.filter((w) => w.id !== window.id), result: undefined }
        : { windows, result: undefined },
    );
  } catch (error) {
    deps.logger.warn('window-withdraw-failed', { windowId: window.id, error });
  }
  await clearTimers(deps, [{ kind: 'window.end', windowId: window.id }]);
}

/**
 * Once a toggle's window holds the switch, the active windows it took over leave the calendar and their end
 * timers go; as far as the deadline allows, since each such end leaves alone what is no longer its own.
 */
async function retire(deps: PlanWindowDeps, holder: MaintenanceWindow): Promise<void> {
  try {
    const retired = await changeCalendar(deps, (windows) => {
      const taken = windows.filter((w) => w.state === 'active' && w.id !== holder.id);
      return taken.length === 0
        ? { windows, result: taken }
        : { windows: windows.filter((w) => !taken.includes(w)), result: taken };
    });
    await clearTimers(
      deps,
      retired.map((w) => ({ kind: 'window.end', windowId: w.id })),
    );
  } catch (error) {
    deps.logger.warn('window-retire-failed', { windowId: holder.id, error });
  }
}
