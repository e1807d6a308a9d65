import type { FieldError } from './errors';
import { MAX_RETRY_AFTER_SECONDS } from './maintenance-status';
import { checkInstant, checkReason, checkRetryAfter } from './values';

/**
 * Maintenance windows: maintenance that starts and ends by itself. A window is `scheduled` until its start,
 * `active` from its start to its end, then `done`; or `cancelled`. `POST /maintenance` with `endsAt` makes
 * one that is active at once.
 */
export type WindowState = 'scheduled' | 'active' | 'done' | 'cancelled';

export interface MaintenanceWindow {
  id: string;
  /** RFC 3339, UTC, milliseconds. */
  startsAt: string;
  endsAt: string;
  reason: string | null;
  /** As asked; null means the time left until `endsAt` when the window starts. */
  retryAfterSeconds: number | null;
  state: WindowState;
  createdBy: string;
  createdAt: string;
}

const DAY_MS = 86_400_000;
/** The rules of a window (CONTRACT, issue 12): how far ahead, how long, how many at once. */
export const WINDOW_LIMITS = {
  /** A window starts at most a year ahead. */
  maxLeadMs: 365 * DAY_MS,
  /** And lasts at most 7 days. */
  maxLengthMs: 7 * DAY_MS,
  /** Scheduled and active windows at once: they are kept in one item, read whole by every change. */
  maxPending: 50,
} as const;

/** What a client asks for: POST /maintenance/windows's body, or a toggle's `endsAt` (which starts now). */
export interface WindowRequest {
  startsAt: string;
  endsAt: string;
  reason?: string | undefined;
  retryAfterSeconds?: number | undefined;
}

export type WindowCheck =
  | { ok: true; startsAt: Date; endsAt: Date; reason: string | null; retryAfterSeconds: number | null }
  | { ok: false; errors: FieldError[] };

/**
 * The rules a new window's times and words follow, at `now`: both moments RFC 3339 with an offset, the
 * start in the future (unless `startsNow`, a toggle's) and at most a year ahead, the end after the start and
 * at most 7 days after it; the reason and Retry-After as for a toggle. Every field that is wrong is named.
 *
 * @example
 * checkWindow({ startsAt: '2026-12-06T02:00:00Z', endsAt: '2026-12-06T03:00:00Z' }, new Date('2026-12-01T00:00:00Z')).ok // true
 * checkWindow({ startsAt: '2026-12-06T02:00:00', endsAt: '2026-12-06T03:00:00Z' }, now) // errors: [{ field: 'startsAt', ... }]
 */
export function checkWindow(
  request: { startsAt?: unknown; endsAt: unknown; reason?: unknown; retryAfterSeconds?: unknown },
  now: Date,
  options: { startsNow?: boolean } = {},
): WindowCheck {
  const errors: FieldError[] = [];
  const start = options.startsNow ? { ok: true as const, value: now } : checkInstant(request.startsAt);
  const end = checkInstant(request.endsAt);
  if (!start.ok) errors.push({ field: 'startsAt', message: start.message });
  if (!end.ok) errors.push({ field: 'endsAt', message: end.message });
  if (start.ok && !options.startsNow) {
    if (start.value.getTime() <= now.getTime())
      errors.push({ field: 'startsAt', message: 'must be in the future' });
    else if (start.value.getTime() - now.getTime() > WINDOW_LIMITS.maxLeadMs)
      errors.push({ field: 'startsAt', message: 'must be at most a year ahead' });
  }
  if (start.ok && end.ok) {
    const length = end.value.getTime() - start.value.getTime();
    if (length <= 0)
      errors.push({
        field: 'endsAt',
        message: options.startsNow ? 'must be in the future' : 'must be after startsAt',
      });
    else if (length > WINDOW_LIMITS.maxLengthMs)
      errors.push({
        field: 'endsAt',
        message: options.startsNow ? 'must be at most 7 days ahead' : 'must be at most 7 days after startsAt',
      });
  }
  const reason = request.reason === undefined ? undefined : checkReason(request.reason);
  if (reason && !reason.ok) errors.push({ field: 'reason', message: reason.message });
  const retry =
    request.retryAfterSeconds === undefined ? undefined : checkRetryAfter(request.retryAfterSeconds);
  if (retry && !retry.ok) errors.push({ field: 'retryAfterSeconds', message: retry.message });
  if (errors.length > 0 || !start.ok || !end.ok) return { ok: false, errors };
  return {
    ok: true,
    startsAt: start.value,
    endsAt: end.value,
    reason: reason?.ok ? reason.value : null,
    retryAfterSeconds: retry?.ok ? retry.value : null,
  };
}

/**
 * How long a timer may still fire after its moment: Scheduler retries delivering it for this long
 * (eventbridge-timers.ts sets it as the target's MaximumEventAgeInSeconds).
 */
export const TIMER_MAX_AGE_MS = 3_600_000;

/**
 * Whether a window holds the switch, or will: scheduled or active, and its end's timer can still fire.
 * One whose end is over TIMER_MAX_AGE_MS past is not, whatever the calendar says (its timers were lost, or
 * the write that should have taken it out was): it no longer blocks, counts or lists.
 */
export const isPending = (window: MaintenanceWindow, now: Date): boolean =>
  (window.state === 'scheduled' || window.state === 'active') &&
  Date.parse(window.endsAt) + TIMER_MAX_AGE_MS > now.getTime();

/**
 * The first pending window whose time overlaps `[startsAt, endsAt)`: windows that only touch (one ends
 * as the next starts) do not overlap.
 */
export function findOverlap(
  windows: readonly MaintenanceWindow[],
  span: { startsAt: string; endsAt: string },
  now: Date,
): MaintenanceWindow | undefined {
  const start = Date.parse(span.startsAt);
  const end = Date.parse(span.endsAt);
  return windows.find(
    (window) =>
      isPending(window, now) && Date.parse(window.startsAt) < end && start < Date.parse(window.endsAt),
  );
}

/** A start this close to its moment counts as on time: Retry-After is then counted from the moment itself. */
const ON_TIME_MS = 60_000;

/**
 * The Retry-After a window turns maintenance on with: its own, or else the whole seconds left until its
 * end (at least 1, at most a day), counted from its start when it starts on time, so that two deliveries of
 * one start agree on it (and the second changes nothing).
 *
 * @example
 * retryAfterFor({ retryAfterSeconds: null, startsAt: '2026-12-01T10:00:00.000Z', endsAt: '2026-12-01T11:00:00.000Z' }, new Date('2026-12-01T10:00:00.400Z')) // 3600
 */
export function retryAfterFor(
  window: Pick<MaintenanceWindow, 'retryAfterSeconds' | 'startsAt' | 'endsAt'>,
  now: Date,
): number {
  if (window.retryAfterSeconds !== null) return window.retryAfterSeconds;
  const start = Date.parse(window.startsAt);
  const from = now.getTime() >= start && now.getTime() - start < ON_TIME_MS ? start : now.getTime();
  const left = Math.ceil((Date.parse(window.endsAt) - from) / 1000);
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, left));
}

/** Windows as GET /maintenance/windows lists them: the pending ones, by start (then id, for ties). */
export function listed(windows: readonly MaintenanceWindow[], now: Date): MaintenanceWindow[] {
  return windows
    .filter((window) => isPending(window, now))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/** Who a window acts as, in the status's `changedBy` and the history's `actor`. */
export const windowActor = (id: string): string => `window:${id}`;

/**
 * What the scheduler hands the scheduled function: a window's start or end, or a reminder's turn. Each
 * is also the name of its schedule, so a window's two schedules can be found again to delete them.
 * Reminders take turns between two schedules: a turn sets the next one on the other, never on the
 * schedule that is firing, which Scheduler deletes once it has invoked its target (ActionAfterCompletion
 * DELETE) and might delete after the next turn was written to it.
 */
export type TimerEvent =
  | { kind: 'window.start'; windowId: string }
  | { kind: 'window.end'; windowId: string }
  | { kind: 'reminder'; turn: 0 | 1 };

/** Both reminder schedules: a turn-off deletes them both. */
export const REMINDERS: ReadonlyArray<TimerEvent & { kind: 'reminder' }> = [
  { kind: 'reminder', turn: 0 },
  { kind: 'reminder', turn: 1 },
];

/**
 * The schedule's name for an event: `<id>-start`, `<id>-end`, `reminder-0`, `reminder-1` (Scheduler
 * allows 1-64 of `[0-9a-zA-Z-_.]`; a window id is a UUID).
 */
export function timerName(event: TimerEvent): string {
  if (event.kind === 'reminder') return `reminder-${event.turn}`;
  return `${event.windowId}-${event.kind === 'window.start' ? 'start' : 'end'}`;
}

/** A window id as this switch makes them (a UUID): anything else names no window. */
export const isWindowId = (id: string): boolean => /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(id);
