import { StaleLockError } from '../../src/domain/errors';
import { type MaintenanceWindow, type TimerEvent, timerName } from '../../src/domain/windows';
import type { Timers } from '../../src/ports/timers';
import type { Calendar, WindowStore } from '../../src/ports/window-store';

/**
 * The calendar in memory, with the DynamoDB store's version check: a write presenting an older version
 * throws StaleLockError and writes nothing. `beforeWrite` runs just before each write is judged (a test's
 * rival change goes there); `failures` makes the next writes throw.
 */
export class InMemoryCalendar implements WindowStore {
  windows: MaintenanceWindow[] = [];
  version = 0;
  writes = 0;
  readonly failures: Error[] = [];
  beforeWrite?: (() => void) | undefined;

  async read(): Promise<Calendar> {
    return { windows: structuredClone(this.windows), version: this.version };
  }

  async write(windows: MaintenanceWindow[], version: number): Promise<void> {
    this.beforeWrite?.();
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (version !== this.version) throw new StaleLockError();
    this.windows = structuredClone(windows);
    this.version += 1;
    this.writes += 1;
  }

  /** A window put straight into the calendar, as if planned earlier. */
  seed(...windows: MaintenanceWindow[]): void {
    this.windows.push(...structuredClone(windows));
    this.version += 1;
  }
}

/** Timers in memory: what is set (by name, with its event and time), every call, and injectable failures. */
export class InMemoryTimers implements Timers {
  readonly set_ = new Map<string, { event: TimerEvent; at: Date }>();
  readonly calls: string[] = [];
  /** Makes the next `set` calls throw, in order. */
  readonly setFailures: Error[] = [];

  async set(event: TimerEvent, at: Date): Promise<void> {
    this.calls.push(`set ${timerName(event)} ${at.toISOString()}`);
    const failure = this.setFailures.shift();
    if (failure) throw failure;
    this.set_.set(timerName(event), { event, at });
  }

  async clear(event: TimerEvent): Promise<void> {
    this.calls.push(`clear ${timerName(event)}`);
    this.set_.delete(timerName(event));
  }

  /** The timers' names, sorted. */
  names(): string[] {
    return [...this.set_.keys()].sort();
  }
}
