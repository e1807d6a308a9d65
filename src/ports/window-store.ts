import type { MaintenanceWindow } from '../domain/windows';

/** The pending windows as one document, and the version a write must present to replace it. */
export interface Calendar {
  windows: MaintenanceWindow[];
  /** 0 for a calendar never written. */
  version: number;
}

/**
 * Where the scheduled and active windows are kept: one document, replaced whole, so that two windows
 * created at once cannot both pass the overlap check (the second write finds a newer version).
 */
export interface WindowStore {
  read(): Promise<Calendar>;
  /** Replaces the calendar if it is still at `version`; else StaleLockError, and nothing is written. */
  write(windows: MaintenanceWindow[], version: number): Promise<void>;
}
