import type { TimerEvent } from '../domain/windows';

/**
 * One-time timers that invoke the scheduled function with their event (EventBridge Scheduler in AWS, the
 * local stack's runner over the emulator). A timer fires once, late by up to about a minute, then is gone.
 */
export interface Timers {
  /** Sets the event's timer to fire at `at` (whole seconds, UTC); one already set for it is replaced. */
  set(event: TimerEvent, at: Date): Promise<void>;
  /** Deletes the event's timer; one that is not there (fired, or never set) is no error. */
  clear(event: TimerEvent): Promise<void>;
}
