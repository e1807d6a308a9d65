import { DeadlineError, StaleLockError } from '../../src/domain/errors';
import { type MaintenanceWindow, type TimerEvent, timerName } from '../../src/domain/windows';
import type { Timers } from '../../src/ports/timers';
import type { Calendar, WindowStore } from '../../src/ports/window-store';

/**
 * The calendar in memory, with the DynamoDB store's version check: a write presenting an older version
 * throws StaleLockError and writes nothing. `beforeWrite` runs just before each write is judged (a test's
 * rival change goes there); `failures` makes the next writes throw.
 */
export class InMemoryWindowStore implements WindowStore {
  windows: MaintenanceWindow[];
  version = 0;
  writes = 0;
  readonly failures: Error[] = [];
  beforeWrite?: (() => void) | undefined;
  /** The next write is applied, then fails as a lost answer would (the outcome unknown to the caller). */
  loseNextAnswer = false;

  constructor(windows: MaintenanceWindow[] = []) {
    this.windows = structuredClone(windows);
    if (windows.length > 0) this.version = 1;
  }

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
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new DeadlineError('PutItem on table t: AWS did not answer in time (TimeoutError).');
    }
  }

  /** Windows put straight into the calendar, as if planned earlier (by someone else, between two reads). */
  seed(...windows: MaintenanceWindow[]): void {
    this.windows.push(...structuredClone(windows));
    this.version += 1;
  }
}

/** Timers in memory: what is set (by schedule name), every call in order, and injectable failures. */
export class RecordingTimers implements Timers {
  readonly scheduled = new Map<string, { event: TimerEvent; at: Date }>();
  readonly calls: string[] = [];
  /** Makes the next `set` calls throw, in order. */
  readonly setFailures: Error[] = [];

  async set(event: TimerEvent, at: Date): Promise<void> {
    this.calls.push(`set ${timerName(event)} ${at.toISOString()}`);
    const failure = this.setFailures.shift();
    if (failure) throw failure;
    this.scheduled.set(timerName(event), { event: structuredClone(event), at: new Date(at) });
  }

  async clear(event: TimerEvent): Promise<void> {
    this.calls.push(`clear ${timerName(event)}`);
    this.scheduled.delete(timerName(event));
  }

  /** The names of the timers set now, sorted. */
  get pending(): string[] {
    return [...this.scheduled.keys()].sort();
  }
}

/** The windows' ports in memory, for `...windowPorts()` beside switchDeps or slackRunDeps. */
export function windowPorts(windows: MaintenanceWindow[] = []) {
  return { windows: new InMemoryWindowStore(windows), timers: new RecordingTimers() };
}

/** A window as the API lists it: scheduled for an hour from 2026-12-06 02:00 UTC, with overrides. */
export function aWindow(overrides: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
    startsAt: '2026-12-06T02:00:00.000Z',
    endsAt: '2026-12-06T03:00:00.000Z',
    reason: 'Database upgrade',
    retryAfterSeconds: null,
    state: 'scheduled',
    createdBy: 'ops-laptop',
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}
