import { randomUUID } from 'node:crypto';
import { ConflictError, PartialChangeError, ValidationError } from '../domain/errors';
import {
  checkWindow,
  findOverlap,
  isPending,
  type MaintenanceWindow,
  retryAfterFor,
  WINDOW_LIMITS,
} from '../domain/windows';
import type { AuditLog } from '../ports/audit-log';
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

/** Adds `window` to the calendar unless another pending window's time overlaps it (409) or too many are pending. */
function addTo(
  windows: MaintenanceWindow[],
  window: MaintenanceWindow,
  blocking: (w: MaintenanceWindow) => boolean,
): MaintenanceWindow[] {
  // A write whose answer was lost, tried again: the window is already there.
  if (windows.some((w) => w.id === window.id)) return windows;
  const overlap = findOverlap(windows.filter(blocking), window);
  if (overlap) {
    throw new ConflictError(
      `The window overlaps window ${overlap.id} (${overlap.startsAt} to ${overlap.endsAt}, ${overlap.state}); nothing was scheduled.`,
    );
  }
  const pending = windows.filter(isPending);
  if (pending.length >= WINDOW_LIMITS.maxPending) {
    throw new ConflictError(
      `${WINDOW_LIMITS.maxPending} windows are already scheduled or active, the most there may be; cancel one first.`,
    );
  }
  return [...pending, window];
}

/**
 * Plans a window: maintenance turns on at `startsAt` and off at `endsAt` by itself.
 * 1. Check the times and words (a 400 naming each bad field).
 * 2. Set its two timers. They go first: a timer whose window is not in the calendar does nothing when it
 *    fires, so a failure after this point leaves nothing that acts.
 * 3. Add it to the calendar under the calendar's version: the overlap check and the write are one step,
 *    so of two overlapping windows planned at once, one is refused (409).
 * 4. Its history entry (`window.create`).
 * A refusal or failure at 2 or 3 deletes the timers again, as far as the deadline allows.
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
    await changeCalendar(deps, (windows) => {
      const next = addTo(windows, window, isPending);
      return { windows: next, result: undefined };
    });
  } catch (error) {
    await clearTimers(deps, [start, end]);
    throw error;
  }
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
 * If 3 fails, the window leaves the calendar and its timer is deleted again.
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
  let superseded: MaintenanceWindow[] = [];
  try {
    deps.deadline.assertMayWrite("the window's end schedule");
    await deps.timers.set(end, checked.endsAt);
    superseded = await changeCalendar(deps, (windows) => {
      const active = windows.filter((w) => w.state === 'active' && w.id !== window.id);
      const next = addTo(
        windows.filter((w) => !active.includes(w)),
        window,
        (w) => w.state === 'scheduled',
      );
      return { windows: next, result: active };
    });
  } catch (error) {
    await clearTimers(deps, [end]);
    throw error;
  }
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
  await clearTimers(
    deps,
    superseded.map((w) => ({ kind: 'window.end', windowId: w.id })),
  );
  return { ...result, window };
}

/** Takes a window that never came to hold the switch out of the calendar, and deletes its timers. Best effort. */
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
  await clearTimers(deps, timersOf(window));
}
