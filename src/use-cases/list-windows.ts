import { listed, type MaintenanceWindow } from '../domain/windows';
import type { Clock } from '../ports/clock';
import type { WindowStore } from '../ports/window-store';

/** GET /maintenance/windows: the scheduled and active windows, by start. */
export async function listWindows(deps: {
  windows: WindowStore;
  clock: Clock;
}): Promise<{ windows: MaintenanceWindow[] }> {
  const calendar = await deps.windows.read();
  return { windows: listed(calendar.windows, deps.clock.now()) };
}
