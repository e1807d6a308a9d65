import { NotFoundError } from '../domain/errors';
import { isPending, type MaintenanceWindow } from '../domain/windows';
import type { PlanWindowDeps } from './plan-window';
import { recordHistory } from './record-history';
import { type SetMaintenanceDeps, setMaintenanceMode } from './set-maintenance-mode';
import { changeCalendar, clearTimers, timersOf, windowDetails } from './window-calendar';

export interface CancelWindowResult {
  window: MaintenanceWindow;
  /** It had started: maintenance was on as this window (or someone had taken over since). */
  wasActive: boolean;
  /** An active window's cancel turned maintenance off (false: someone had taken over, or it was scheduled). */
  turnedOff: boolean;
}

/**
 * Cancels a scheduled or active window (404 for any other id).
 * - Scheduled: it leaves the calendar, then its timers are deleted (one left over does nothing).
 * - Active: it ends now, by the rule of its end: maintenance turns off only while the window still holds
 *   the switch; then it leaves the calendar and its end's timer is deleted.
 * Its history entry is `window.cancel` (and the toggle's own `maintenance.off` when it turned off).
 */
export async function cancelWindow(
  deps: PlanWindowDeps & Omit<SetMaintenanceDeps, 'deadline'>,
  input: { id: string; actor: string },
): Promise<CancelWindowResult> {
  const calendar = await deps.windows.read();
  const found = calendar.windows.find((w) => w.id === input.id && isPending(w));
  if (!found)
    throw new NotFoundError(`No scheduled or active window has the id ${JSON.stringify(input.id)}.`);
  let turnedOff = false;
  if (found.state === 'active') {
    const result = await setMaintenanceMode(deps, {
      enabled: false,
      actor: input.actor,
      onlyIfWindow: found.id,
    });
    turnedOff = result.changed;
  }
  const window = await changeCalendar(deps, (windows) => {
    const now = windows.find((w) => w.id === input.id && isPending(w));
    if (!now) {
      // Gone since the first read: its end, or another cancel, took it out first.
      throw new NotFoundError(`No scheduled or active window has the id ${JSON.stringify(input.id)}.`);
    }
    return { windows: windows.filter((w) => w !== now), result: now };
  });
  await clearTimers(deps, timersOf(window));
  const cancelled: MaintenanceWindow = { ...window, state: 'cancelled' };
  await recordHistory(deps, {
    actor: input.actor,
    action: 'window.cancel',
    details: { ...windowDetails(window), wasActive: window.state === 'active', turnedOff },
    said: `The window ${window.id} was cancelled`,
  });
  return { window: cancelled, wasActive: window.state === 'active', turnedOff };
}
