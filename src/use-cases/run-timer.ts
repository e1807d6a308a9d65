import type { Announcement } from '../domain/announcements';
import { reminderAnnouncement } from '../domain/announcements';
import { MisconfiguredError } from '../domain/errors';
import type { Entry } from '../domain/history';
import type { MaintenanceStatus } from '../domain/maintenance-status';
import {
  type MaintenanceWindow,
  REMINDERS,
  retryAfterFor,
  type TimerEvent,
  windowActor,
} from '../domain/windows';
import type { SecretSource } from '../ports/secret-source';
import type { WebhookPoster } from '../ports/webhook-poster';
import { getMaintenanceStatus } from './get-maintenance-status';
import type { PlanWindowDeps } from './plan-window';
import { recordHistory } from './record-history';
import { type SetMaintenanceDeps, setMaintenanceMode } from './set-maintenance-mode';
import { changeCalendar, windowDetails } from './window-calendar';

export interface RunTimerDeps extends PlanWindowDeps, Omit<SetMaintenanceDeps, 'deadline'> {
  /** How often a reminder repeats while maintenance is on past its expected end. */
  reminderIntervalMs: number;
  /** Where reminders go (the announcements' webhook); absent: reminders are not sent. */
  webhook?: { url: SecretSource; poster: WebhookPoster };
}

/** What a timer's run did, for its log line and the tests. */
export type TimerOutcome =
  | { kind: 'window.start'; windowId: string; outcome: 'started' | 'skipped' | 'missed' }
  | { kind: 'window.end'; windowId: string; outcome: 'ended' | 'left-alone' | 'skipped' }
  | { kind: 'reminder'; outcome: 'sent' | 'not-due' | 'off' | 'not-sent' };

/**
 * Runs what a timer is for. Every case reads the state afresh and acts only if it still applies, so a
 * timer that fires twice, late, or for a window since cancelled does no harm.
 */
export async function runTimer(deps: RunTimerDeps, event: TimerEvent): Promise<TimerOutcome> {
  switch (event.kind) {
    case 'window.start':
      return { ...event, outcome: await startWindow(deps, event.windowId) };
    case 'window.end':
      return { ...event, outcome: await endWindow(deps, event.windowId) };
    case 'reminder':
      return { kind: 'reminder', outcome: await remind(deps, event.turn) };
  }
}

const take = (id: string) => (windows: MaintenanceWindow[]) => {
  const found = windows.find((w) => w.id === id);
  return found
    ? { windows: windows.filter((w) => w !== found), result: found as MaintenanceWindow | undefined }
    : { windows, result: undefined };
};

/**
 * A window's start: maintenance on with its reason, as `window:<id>`, with Retry-After its own or the time
 * left; then it is `active`. A window no longer scheduled is skipped; one whose end has passed already
 * (the start came over an hour late, say) is missed: it leaves the calendar, and the history says so.
 * A window cancelled while it was turning on is ended again at once.
 */
async function startWindow(deps: RunTimerDeps, id: string): Promise<'started' | 'skipped' | 'missed'> {
  const { windows } = await deps.windows.read();
  const window = windows.find((w) => w.id === id);
  if (window?.state !== 'scheduled') return 'skipped';
  const now = deps.clock.now();
  if (Date.parse(window.endsAt) <= now.getTime()) {
    const missed = await changeCalendar(deps, take(id));
    if (missed) await recordEnd(deps, missed, { outcome: 'missed', changedBy: null });
    return 'missed';
  }
  await setMaintenanceMode(deps, {
    enabled: true,
    reason: window.reason ?? undefined,
    retryAfterSeconds: retryAfterFor(window, now),
    actor: windowActor(id),
    window: { id, endsAt: window.endsAt },
  });
  const listed = await changeCalendar(deps, (all) => {
    const current = all.find((w) => w.id === id);
    if (!current) return { windows: all, result: false };
    const active: MaintenanceWindow = { ...current, state: 'active' };
    return { windows: all.map((w) => (w === current ? active : w)), result: true };
  });
  if (!listed) await endWindow(deps, id);
  return 'started';
}

/**
 * A window's end: maintenance off, only while the window still holds the switch (its change is the
 * current one). Someone's change since is left alone, and its `window.end` entry says who has it now.
 * A timer of a window not in the calendar (superseded, cancelled) that no longer holds the switch is
 * silent: nobody expects its end.
 */
async function endWindow(deps: RunTimerDeps, id: string): Promise<'ended' | 'left-alone' | 'skipped'> {
  const result = await setMaintenanceMode(deps, { enabled: false, actor: windowActor(id), onlyIfWindow: id });
  const window = await changeCalendar(deps, take(id));
  if (!result.leftAlone) return 'ended';
  if (!window) return 'skipped';
  // Its start never came (or came too late): there was nothing of its own to end.
  const outcome = window.state === 'scheduled' ? 'missed' : 'left-alone';
  await recordEnd(deps, window, { outcome, changedBy: result.leftAlone.changedBy });
  return 'left-alone';
}

function recordEnd(
  deps: RunTimerDeps,
  window: MaintenanceWindow,
  how: { outcome: 'missed' | 'left-alone'; changedBy: string | null },
): Promise<Entry> {
  return recordHistory(deps, {
    actor: windowActor(window.id),
    action: 'window.end',
    details: { ...windowDetails(window), ...how },
    said: `The window ${window.id} ended`,
  });
}

/** When maintenance that is on was expected to end: its window's end, or its change time plus Retry-After. */
export function expectedEnd(status: MaintenanceStatus): Date | null {
  if (!status.enabled) return null;
  if (status.endsAt) return new Date(status.endsAt);
  if (!status.changedAt || !status.retryAfterSeconds) return null;
  return new Date(Date.parse(status.changedAt) + status.retryAfterSeconds * 1000);
}

/**
 * The reminder's turn: while maintenance is on past its expected end, announce how long it has been on
 * and how far past its end, and set the next turn one interval on. Off: nothing, and no next turn (so a
 * reminder costs nothing while maintenance is off). On but not yet past its end (it was extended): the
 * next turn one interval after the new end.
 */
async function remind(deps: RunTimerDeps, turn: 0 | 1): Promise<'sent' | 'not-due' | 'off' | 'not-sent'> {
  const status = await getMaintenanceStatus(deps);
  const end = expectedEnd(status);
  if (!end) return 'off';
  const now = deps.clock.now();
  const reminder = { kind: 'reminder', turn: turn === 0 ? 1 : 0 } as const;
  if (end.getTime() > now.getTime()) {
    await deps.timers.set(reminder, new Date(end.getTime() + deps.reminderIntervalMs));
    return 'not-due';
  }
  const sent = await post(deps, reminderAnnouncement(status, now));
  await deps.timers.set(reminder, new Date(now.getTime() + deps.reminderIntervalMs));
  return sent ? 'sent' : 'not-sent';
}

async function post(deps: RunTimerDeps, message: Announcement): Promise<boolean> {
  if (!deps.webhook) return false;
  let url: string;
  try {
    url = await deps.webhook.url.get();
  } catch (error) {
    // No webhook configured is a choice (as for the announcements); failing to read one is a failure.
    if (error instanceof MisconfiguredError) deps.logger.info('reminder-not-sent', { reason: 'no webhook' });
    else deps.logger.error('reminder-failed', { attempts: 0, error });
    return false;
  }
  const result = await deps.webhook.poster.post(url, message);
  if (!result.ok) deps.logger.error('reminder-failed', { attempts: result.attempts, error: result.error });
  return result.ok;
}

/**
 * After maintenance turned on, the reminder's first turn: one interval past its expected end. After it
 * turned off, the reminder's timer is deleted (a turn that still fires finds it off and stops).
 * Called with the newest toggle entries the announcer sees; the newest toggle decides.
 */
export async function planReminder(
  deps: Pick<RunTimerDeps, 'timers' | 'reminderIntervalMs'>,
  entries: Entry[],
): Promise<void> {
  const toggles = entries.filter((e) => e.action === 'maintenance.on' || e.action === 'maintenance.off');
  const last = toggles.sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  if (!last) return;
  const [first, second] = REMINDERS as [TimerEvent, TimerEvent];
  if (last.action === 'maintenance.off') {
    await Promise.all([deps.timers.clear(first), deps.timers.clear(second)]);
    return;
  }
  const { endsAt, retryAfterSeconds } = last.details;
  const end =
    typeof endsAt === 'string'
      ? Date.parse(endsAt)
      : Date.parse(last.at) + (typeof retryAfterSeconds === 'number' ? retryAfterSeconds : 0) * 1000;
  // The first turn goes on the first schedule; a turn already pending on the other is dropped.
  await Promise.all([
    deps.timers.set(first, new Date(end + deps.reminderIntervalMs)),
    deps.timers.clear(second),
  ]);
}
