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
  /** The cancel turned maintenance off: the window held the switch (false: someone had taken over, or it had not started). */
  turnedOff: boolean;
}

/**
 * Cancels a scheduled or active window (404 for any other id, before anything is changed).
 * 1. It leaves the calendar: from then on its start does nothing, and a start that is running at this very
 *    moment finds it gone and ends what it turned on (run-timer.ts).
 * 2. It ends by the rule of its end, whatever state the calendar showed: maintenance turns off only while
 *    the window holds the switch, which covers a start that turned maintenance on since the calendar was read.
 * 3. Its timers are deleted (one left over does nothing). Should 2 fail, they stay: its end still turns
 *    off what is its own.
 * Its history entry is `window.cancel` (and the toggle's own `maintenance.off` when it turned off).
 */
export async function cancelWindow(
  deps: PlanWindowDeps & Omit<SetMaintenanceDeps, 'deadline'>,
  input: { id: string; actor: string },
): Promise<CancelWindowResult> {
  const now = deps.clock.now();
  const window = await changeCalendar(deps, (windows) => {
    const found = windows.find((w) => w.id === input.id && isPending(w, now));
    if (!found)
      throw new NotFoundError(`No scheduled or active window has the id ${JSON.stringify(input.id)}.`);
    return { windows: windows.filter((w) => w !== found), result: found };
  });
  const { changed: turnedOff } = await setMaintenanceMode(deps, {
    enabled: false,
    actor: input.actor,
    onlyIfWindow: window.id,
  });
  await clearTimers(deps, timersOf(window));
  const wasActive = window.state === 'active' || turnedOff;
  await recordHistory(deps, {
    actor: input.actor,
    action: 'window.cancel',
    details: { ...windowDetails(window), wasActive, turnedOff },
    said: `The window ${window.id} was cancelled`,
  });
  return { window: { ...window, state: 'cancelled' }, wasActive, turnedOff };
}
