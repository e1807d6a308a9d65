import type { Clock } from '../ports/clock';
import { DeadlineError } from './errors';

/**
 * A write starts only while at least this much time is left before the answer: enough for one bounded
 * AWS call to come back, so that a write is almost never still on its way when the answer goes out.
 */
export const MIN_TIME_FOR_WRITE_MS = 1_000;

/**
 * One request's time, from its arrival to its answer, shared by everything the request does.
 * - `at` is when the answer goes out at the latest; `remainingMs()` counts down to it on the clock.
 * - `signal` aborts when the request is answered (`close()`; the handler also closes it when `at` passes):
 *   every AWS call carries it, so whatever the request started and is still running fails at its next
 *   call instead of writing.
 * - Writes are tracked: one that was sent but never answered has an unknown outcome, and the answer names it.
 *
 * @example
 * const deadline = Deadline.in(systemClock, 27_000);
 * deadline.assertMayWrite('UpdateRuleGroup'); // throws DeadlineError once too little time is left
 * deadline.close(); // the request has been answered: nothing it started may change anything any more
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly inFlight = new Map<number, string>();
  private readonly unknown = new Map<string, string>();
  private nextWrite = 0;

  constructor(
    private readonly clock: Clock,
    /** Epoch milliseconds. */
    readonly at: number,
  ) {}

  /** A deadline `ms` from now. */
  static in(clock: Clock, ms: number): Deadline {
    return new Deadline(clock, clock.now().getTime() + ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the request has been answered (or given up). */
  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(): number {
    return this.at - this.clock.now().getTime();
  }

  /** Whether any AWS call may still start: the request is open and its time has not run out. */
  mayCall(): boolean {
    return !this.closed && this.remainingMs() > 0;
  }

  /** Whether a write may start now: open, and time left for it to come back before the answer. */
  mayWrite(): boolean {
    return !this.closed && this.remainingMs() >= MIN_TIME_FOR_WRITE_MS;
  }

  /** Throws DeadlineError, before anything is sent, when `operation` (a write) may not start. */
  assertMayWrite(operation: string): void {
    if (this.mayWrite()) return;
    throw new DeadlineError(
      this.closed
        ? `${operation} was not sent: the request had already been answered.`
        : `${operation} was not sent: too little time was left before the answer.`,
    );
  }

  /**
   * Marks a write as sent; the returned function settles it. `known: false` means AWS may or may not
   * have applied it (a timeout, a dropped connection after sending); `known: true`, that AWS answered it or
   * provably never got it. A later write to the same resource whose outcome is known settles it.
   */
  writeSent(description: string): (outcome: { known: boolean }) => void {
    const id = this.nextWrite++;
    this.inFlight.set(id, description);
    return ({ known }) => {
      this.inFlight.delete(id);
      if (known) this.unknown.delete(description);
      else this.unknown.set(description, description);
    };
  }

  /** Writes whose outcome is unknown: sent and never answered, or still on their way. */
  writesOfUnknownOutcome(): string[] {
    return [...new Set([...this.unknown.values(), ...this.inFlight.values()])];
  }

  /**
   * What a failed request's answer says about the change: which writes were sent without an answer (their
   * outcome is unknown: AWS may still apply them), or that nothing was changed.
   */
  outcome(): { detail: string; unconfirmedWrites: string[] } {
    const unconfirmedWrites = this.writesOfUnknownOutcome();
    if (unconfirmedWrites.length === 0) return { detail: 'Nothing was changed.', unconfirmedWrites };
    return {
      detail: `AWS did not answer ${unconfirmedWrites.join(', ')}: it may or may not have been applied. Read the state back before retrying.`,
      unconfirmedWrites,
    };
  }

  /** Ends the request: whatever it started and is still running is aborted, and no call starts any more. */
  close(reason = 'the request has been answered'): void {
    if (!this.closed) this.controller.abort(new DeadlineError(`Aborted: ${reason}.`));
  }
}
