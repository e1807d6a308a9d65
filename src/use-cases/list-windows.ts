import { listed, type MaintenanceWindow } from '../domain/windows';
import type { WindowStore } from '../ports/window-store';

/** GET /maintenance/windows: the scheduled and active windows, by start. */
export async function listWindows(deps: { windows: WindowStore }): Promise<{ windows: MaintenanceWindow[] }> {
  const calendar = await deps.windows.read();
  return { windows: listed(calendar.windows) };
}
