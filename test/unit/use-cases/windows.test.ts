import { Deadline } from '../../../src/domain/deadline';
import {
  ConflictError,
  DeadlineError,
  NotFoundError,
  UpstreamError,
  ValidationError,
} from '../../../src/domain/errors';
import { windowActor } from '../../../src/domain/windows';
import type { WebhookMessage, WebhookPoster } from '../../../src/ports/webhook-poster';
import type { WindowStore } from '../../../src/ports/window-store';
import { cancelWindow } from '../../../src/use-cases/cancel-window';
import { getMaintenanceStatus } from '../../../src/use-cases/get-maintenance-status';
import { listWindows } from '../../../src/use-cases/list-windows';
import { scheduleWindow, turnOnUntil } from '../../../src/use-cases/plan-window';
import { planReminder, runTimer } from '../../../src/use-cases/run-timer';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { FakeClock, FixedSecret, switchDeps } from '../../support/fakes';
import { RecordingLogger } from '../../support/recording-logger';
import { aWindow, InMemoryWindowStore, RecordingTimers } from '../../support/window-fakes';

class RecordingPoster implements WebhookPoster {
  readonly maxDurationMs = 10_000;
  readonly posts: WebhookMessage[] = [];
  async post(_url: string, message: WebhookMessage) {
    this.posts.push(message);
    return { ok: true, attempts: 1 };
  }
}

const ID = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function makeDeps() {
  const clock = new FakeClock(); // 2026-11-23T10:00:00.000Z
  let n = 0;
  const poster = new RecordingPoster();
  return switchDeps({
    clock,
    deadline: Deadline.in(clock, 27_000),
    windows: new InMemoryWindowStore(),
    timers: new RecordingTimers(),
    logger: new RecordingLogger(),
    newId: () => [ID, OTHER][n++] ?? `id-${n}`,
    reminderIntervalMs: 15 * 60_000,
    poster,
    webhook: { url: new FixedSecret('https://hooks.slack.com/services/T/B/x'), poster },
  });
}

/** Time passes, and the next call is a new request, with a deadline of its own. */
function advance(deps: ReturnType<typeof makeDeps>, ms: number): void {
  deps.clock.advance(ms);
  deps.deadline = Deadline.in(deps.clock, 27_000);
}

const sunday = {
  startsAt: '2026-11-29T02:00:00Z',
  endsAt: '2026-11-29T03:00:00Z',
  reason: 'Database upgrade',
};

describe('scheduling a window', () => {
  it('sets its two timers, keeps it in the calendar as scheduled, and records who planned it', async () => {
    const deps = makeDeps();
    const window = await scheduleWindow(deps, { ...sunday, actor: 'ops' });
    expect(window).toEqual({
      id: ID,
      startsAt: '2026-11-29T02:00:00.000Z',
      endsAt: '2026-11-29T03:00:00.000Z',
      reason: 'Database upgrade',
      retryAfterSeconds: null,
      state: 'scheduled',
      createdBy: 'ops',
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    expect(deps.timers.scheduled.get(`${ID}-start`)?.at.toISOString()).toBe('2026-11-29T02:00:00.000Z');
    expect(deps.timers.scheduled.get(`${ID}-end`)?.at.toISOString()).toBe('2026-11-29T03:00:00.000Z');
    expect((await listWindows(deps)).windows).toEqual([window]);
    expect(deps.audit.entries).toEqual([
      expect.objectContaining({
        actor: 'ops',
        action: 'window.create',
        details: expect.objectContaining({ windowId: ID }),
      }),
    ]);
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('refuses bad times with a 400 naming the field, and sets nothing', async () => {
    const deps = makeDeps();
    await expect(
      scheduleWindow(deps, { startsAt: '2026-11-29T02:00:00', endsAt: '2026-11-29T01:00:00Z', actor: 'ops' }),
    ).rejects.toMatchObject({ errors: [{ field: 'startsAt' }] });
    await expect(
      scheduleWindow(deps, {
        startsAt: '2026-11-29T02:00:00Z',
        endsAt: '2026-12-07T02:00:00Z',
        actor: 'ops',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(deps.timers.calls).toEqual([]);
    expect(deps.windows.writes).toBe(0);
    expect(deps.audit.entries).toEqual([]);
  });

  it('refuses a window that overlaps a scheduled one (409), deleting the timers it had set', async () => {
    const deps = makeDeps();
    deps.windows.seed(
      aWindow({ id: OTHER, startsAt: '2026-11-29T02:00:00.000Z', endsAt: '2026-11-29T03:00:00.000Z' }),
    );
    await expect(
      scheduleWindow(deps, {
        startsAt: '2026-11-29T02:30:00Z',
        endsAt: '2026-11-29T04:00:00Z',
        actor: 'ops',
      }),
    ).rejects.toThrow(
      new ConflictError(
        `The window overlaps window ${OTHER} (2026-11-29T02:00:00.000Z to 2026-11-29T03:00:00.000Z, scheduled); nothing was scheduled.`,
      ),
    );
    expect(deps.timers.pending).toEqual([]);
    expect(deps.windows.windows.map((w) => w.id)).toEqual([OTHER]);
    expect(deps.audit.entries).toEqual([]);
  });

  it('of two overlapping windows planned at once, refuses the one that writes second', async () => {
    const deps = makeDeps();
    // The rival's write lands between this request's read and its write.
    deps.windows.beforeWrite = () => {
      deps.windows.beforeWrite = undefined;
      deps.windows.seed(
        aWindow({ id: OTHER, startsAt: '2026-11-29T02:30:00.000Z', endsAt: '2026-11-29T02:45:00.000Z' }),
      );
    };
    await expect(scheduleWindow(deps, { ...sunday, actor: 'ops' })).rejects.toBeInstanceOf(ConflictError);
    expect(deps.windows.windows.map((w) => w.id)).toEqual([OTHER]);
  });

  it('leaves nothing when a timer cannot be set', async () => {
    const deps = makeDeps();
    deps.timers.setFailures.push(new UpstreamError('AWS failed: CreateSchedule'));
    await expect(scheduleWindow(deps, { ...sunday, actor: 'ops' })).rejects.toBeInstanceOf(UpstreamError);
    expect(deps.timers.pending).toEqual([]);
    expect(deps.windows.windows).toEqual([]);
  });
});

describe("a window's start and end, on a fake clock", () => {
  async function planned() {
    const deps = makeDeps();
    await scheduleWindow(deps, { ...sunday, actor: 'ops' });
    advance(deps, Date.parse('2026-11-29T02:00:00Z') - deps.clock.now().getTime());
    return deps;
  }

  it('turns maintenance on at its start as window:<id>, with Retry-After the time left, and off at its end', async () => {
    const deps = await planned();
    expect(await runTimer(deps, { kind: 'window.start', windowId: ID })).toMatchObject({
      outcome: 'started',
    });
    expect(await getMaintenanceStatus(deps)).toMatchObject({
      enabled: true,
      reason: 'Database upgrade',
      retryAfterSeconds: 3600,
      changedBy: windowActor(ID),
      endsAt: '2026-11-29T03:00:00.000Z',
    });
    expect((await listWindows(deps)).windows.map((w) => w.state)).toEqual(['active']);

    advance(deps, 3_600_000);
    expect(await runTimer(deps, { kind: 'window.end', windowId: ID })).toMatchObject({ outcome: 'ended' });
    // The turn-off has no reason of its own: the window's was for its maintenance, not for its end.
    expect(await getMaintenanceStatus(deps)).toMatchObject({
      enabled: false,
      reason: null,
      changedBy: windowActor(ID),
      endsAt: null,
    });
    expect((await listWindows(deps)).windows).toEqual([]);
    expect(deps.audit.entries.map((e) => `${e.action} ${e.actor}`)).toEqual([
      'window.create ops',
      `maintenance.on ${windowActor(ID)}`,
      `maintenance.off ${windowActor(ID)}`,
    ]);
  });

  it('does nothing when its start fires twice', async () => {
    const deps = await planned();
    await runTimer(deps, { kind: 'window.start', windowId: ID });
    expect(await runTimer(deps, { kind: 'window.start', windowId: ID })).toMatchObject({
      outcome: 'skipped',
    });
    expect(deps.ruleGroup.writes).toHaveLength(1);
  });

  it('takes over maintenance that was already on by hand, so that its end turns it off', async () => {
    const deps = await planned();
    await setMaintenanceMode(deps, {
      enabled: true,
      reason: 'Database upgrade',
      retryAfterSeconds: 3600,
      actor: 'alice',
    });
    await runTimer(deps, { kind: 'window.start', windowId: ID });
    expect((await getMaintenanceStatus(deps)).changedBy).toBe(windowActor(ID));
  });

  it('leaves a manual takeover alone at its end, and says who has it', async () => {
    const deps = await planned();
    await runTimer(deps, { kind: 'window.start', windowId: ID });
    advance(deps, 600_000);
    await setMaintenanceMode(deps, { enabled: true, reason: 'Migration overran', actor: 'alice' });
    advance(deps, 3_000_000);
    expect(await runTimer(deps, { kind: 'window.end', windowId: ID })).toMatchObject({
      outcome: 'left-alone',
    });
    expect(await getMaintenanceStatus(deps)).toMatchObject({
      enabled: true,
      reason: 'Migration overran',
      changedBy: 'alice',
    });
    expect(deps.audit.entries.at(-1)).toMatchObject({
      action: 'window.end',
      actor: windowActor(ID),
      details: { windowId: ID, outcome: 'left-alone', changedBy: 'alice' },
    });
    expect((await listWindows(deps)).windows).toEqual([]);
  });

  it('leaves maintenance that was turned off by hand alone too', async () => {
    const deps = await planned();
    await runTimer(deps, { kind: 'window.start', windowId: ID });
    await setMaintenanceMode(deps, { enabled: false, actor: 'alice' });
    await setMaintenanceMode(deps, { enabled: true, actor: 'bob' });
    await runTimer(deps, { kind: 'window.end', windowId: ID });
    expect(await getMaintenanceStatus(deps)).toMatchObject({ enabled: true, changedBy: 'bob' });
  });

  it('misses a start that comes after its end: nothing turns on, and the history says so', async () => {
    const deps = await planned();
    advance(deps, 3_700_000);
    expect(await runTimer(deps, { kind: 'window.start', windowId: ID })).toMatchObject({ outcome: 'missed' });
    expect((await getMaintenanceStatus(deps)).enabled).toBe(false);
    expect(deps.audit.entries.at(-1)).toMatchObject({ action: 'window.end', details: { outcome: 'missed' } });
  });

  it('keeps quiet about the end of a window that is gone and holds nothing', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, actor: 'alice' });
    expect(await runTimer(deps, { kind: 'window.end', windowId: ID })).toMatchObject({ outcome: 'skipped' });
    expect(deps.audit.entries.map((e) => e.action)).toEqual(['maintenance.on']);
  });
});

describe('planning a window when the calendar write may or may not have happened', () => {
  it('keeps its timers when the answer was lost: the window, written, still starts and ends', async () => {
    const deps = makeDeps();
    deps.windows.loseNextAnswer = true;
    await expect(scheduleWindow(deps, { ...sunday, actor: 'ops' })).rejects.toBeInstanceOf(DeadlineError);
    expect(deps.windows.windows.map((w) => w.id)).toEqual([ID]);
    expect(deps.timers.pending).toEqual([`${ID}-end`, `${ID}-start`]);
  });

  it('deletes them when the write was refused, or never sent', async () => {
    const deps = makeDeps();
    const reading = {
      ...deps,
      windows: {
        ...deps.windows,
        read: () => Promise.reject(new UpstreamError('AWS failed: GetItem')),
        write: deps.windows.write.bind(deps.windows),
      },
    };
    await expect(scheduleWindow(reading, { ...sunday, actor: 'ops' })).rejects.toBeInstanceOf(UpstreamError);
    expect(deps.timers.pending).toEqual([]);
  });
});

describe('cancelling a window', () => {
  it('turns maintenance off when the window started while the cancel was under way', async () => {
    const deps = makeDeps();
    await scheduleWindow(deps, { ...sunday, actor: 'ops' });
    advance(deps, Date.parse('2026-11-29T02:00:00Z') - deps.clock.now().getTime());
    // The start runs between the cancel's read of the calendar and its write.
    const store = deps.windows;
    let started = false;
    const racing: WindowStore = {
      read: () => store.read(),
      write: async (windows, version) => {
        if (!started) {
          started = true;
          await runTimer(deps, { kind: 'window.start', windowId: ID });
        }
        return store.write(windows, version);
      },
    };
    const { turnedOff, wasActive } = await cancelWindow(
      { ...deps, windows: racing },
      { id: ID, actor: 'alice' },
    );
    expect({ turnedOff, wasActive }).toEqual({ turnedOff: true, wasActive: true });
    expect(await getMaintenanceStatus(deps)).toMatchObject({ enabled: false, changedBy: 'alice' });
    expect(deps.timers.pending).toEqual([]);
    expect((await listWindows(deps)).windows).toEqual([]);
  });

  it('turns maintenance off when the start, already turning it on, writes the calendar after the cancel', async () => {
    const deps = makeDeps();
    await scheduleWindow(deps, { ...sunday, actor: 'ops' });
    advance(deps, Date.parse('2026-11-29T02:00:00Z') - deps.clock.now().getTime());
    // The start reads the calendar and turns maintenance on; the cancel runs whole before its calendar write.
    const store = deps.windows;
    let cancelled = false;
    const racing: WindowStore = {
      read: () => store.read(),
      write: async (windows, version) => {
        if (!cancelled) {
          cancelled = true;
          await cancelWindow(deps, { id: ID, actor: 'alice' });
        }
        return store.write(windows, version);
      },
    };
    await runTimer({ ...deps, windows: racing }, { kind: 'window.start', windowId: ID });
    expect((await getMaintenanceStatus(deps)).enabled).toBe(false);
    expect(deps.timers.pending).toEqual([]);
  });

  it('takes a scheduled one out of the calendar and deletes its timers: it never starts', async () => {
    const deps = makeDeps();
    await scheduleWindow(deps, { ...sunday, actor: 'ops' });
    const { window, turnedOff } = await cancelWindow(deps, { id: ID, actor: 'alice' });
    expect(window).toMatchObject({ id: ID, state: 'cancelled' });
    expect(turnedOff).toBe(false);
    expect(deps.timers.pending).toEqual([]);
    expect((await listWindows(deps)).windows).toEqual([]);
    expect(await runTimer(deps, { kind: 'window.start', windowId: ID })).toMatchObject({
      outcome: 'skipped',
    });
    expect(deps.audit.entries.at(-1)).toMatchObject({ action: 'window.cancel', actor: 'alice' });
  });

  it('ends an active one now, turning maintenance off', async () => {
    const deps = makeDeps();
    await scheduleWindow(deps, { ...sunday, actor: 'ops' });
    advance(deps, Date.parse('2026-11-29T02:10:00Z') - deps.clock.now().getTime());
    await runTimer(deps, { kind: 'window.start', windowId: ID });
    const { turnedOff } = await cancelWindow(deps, { id: ID, actor: 'alice' });
    expect(turnedOff).toBe(true);
    expect(await getMaintenanceStatus(deps)).toMatchObject({ enabled: false, changedBy: 'alice' });
    expect(deps.timers.pending).toEqual([]);
  });

  it('answers 404 for an id no pending window has, and changes nothing', async () => {
    const deps = makeDeps();
    await expect(cancelWindow(deps, { id: OTHER, actor: 'alice' })).rejects.toBeInstanceOf(NotFoundError);
    expect(deps.windows.writes).toBe(0);
  });
});

describe('a toggle that ends by itself', () => {
  it('turns on now as an active window, with its end on the status and a timer for it', async () => {
    const deps = makeDeps();
    const result = await turnOnUntil(deps, {
      endsAt: '2026-11-23T10:45:00Z',
      reason: 'Deploy',
      actor: 'bot',
    });
    expect(result.status).toMatchObject({
      enabled: true,
      endsAt: '2026-11-23T10:45:00.000Z',
      retryAfterSeconds: 2700,
    });
    expect(deps.timers.pending).toEqual([`${ID}-end`]);
    expect((await listWindows(deps)).windows).toMatchObject([{ id: ID, state: 'active', createdBy: 'bot' }]);
    advance(deps, 2_700_000);
    await runTimer(deps, { kind: 'window.end', windowId: ID });
    expect((await getMaintenanceStatus(deps)).enabled).toBe(false);
  });

  it('may not overlap a scheduled window (409), and then turns nothing on', async () => {
    const deps = makeDeps();
    deps.windows.seed(
      aWindow({ id: OTHER, startsAt: '2026-11-23T10:30:00.000Z', endsAt: '2026-11-23T11:00:00.000Z' }),
    );
    await expect(turnOnUntil(deps, { endsAt: '2026-11-23T10:45:00Z', actor: 'bot' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await getMaintenanceStatus(deps)).enabled).toBe(false);
    expect(deps.timers.pending).toEqual([]);
  });

  it('takes over an active window, whose end then leaves it alone', async () => {
    const deps = makeDeps();
    await turnOnUntil(deps, { endsAt: '2026-11-23T10:45:00Z', actor: 'bot' });
    const second = await turnOnUntil(deps, { endsAt: '2026-11-23T12:00:00Z', actor: 'alice' });
    advance(deps, 2_700_000);
    await runTimer(deps, { kind: 'window.end', windowId: ID });
    expect(await getMaintenanceStatus(deps)).toMatchObject({
      enabled: true,
      endsAt: '2026-11-23T12:00:00.000Z',
    });
    expect((await listWindows(deps)).windows.map((w) => w.id)).toEqual([second.window.id]);
  });

  it('leaves the active window it would have taken over as it was when turning on fails', async () => {
    const deps = makeDeps();
    const first = await turnOnUntil(deps, { endsAt: '2026-11-23T10:45:00Z', actor: 'bot' });
    deps.ruleGroup.conflictsBeforeWrite = 10_000;
    await expect(
      turnOnUntil(deps, { endsAt: '2026-11-23T12:00:00Z', actor: 'alice' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await listWindows(deps)).windows.map((w) => w.id)).toEqual([first.window.id]);
    expect(deps.timers.pending).toEqual([`${first.window.id}-end`]);
    deps.ruleGroup.conflictsBeforeWrite = 0;
    advance(deps, 0);
    expect((await cancelWindow(deps, { id: first.window.id, actor: 'bot' })).turnedOff).toBe(true);
  });

  it('refuses an end in the past or over 7 days ahead, naming endsAt', async () => {
    const deps = makeDeps();
    for (const endsAt of ['2026-11-23T09:00:00Z', '2026-12-01T10:00:01Z', '2026-11-23T11:00:00']) {
      await expect(turnOnUntil(deps, { endsAt, actor: 'bot' })).rejects.toMatchObject({
        errors: [{ field: 'endsAt' }],
      });
    }
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });
});

describe('reminders', () => {
  it('are planned one interval past the expected end of each turn-on, and dropped by a turn-off', async () => {
    const deps = makeDeps();
    const on = {
      id: 'e1',
      at: '2026-11-23T10:00:00.000Z',
      actor: 'a',
      action: 'maintenance.on' as const,
      details: { retryAfterSeconds: 1800 },
    };
    await planReminder(deps, [on]);
    expect(deps.timers.scheduled.get('reminder-0')?.at.toISOString()).toBe('2026-11-23T10:45:00.000Z');
    await planReminder(deps, [{ ...on, id: 'e2', details: { endsAt: '2026-11-23T12:00:00.000Z' } }]);
    expect(deps.timers.scheduled.get('reminder-0')?.at.toISOString()).toBe('2026-11-23T12:15:00.000Z');
    await planReminder(deps, [
      { ...on, id: 'e3', at: '2026-11-23T10:05:00.000Z', action: 'maintenance.off' },
      on,
    ]);
    expect(deps.timers.pending).toEqual([]);
  });

  it('announce how long maintenance has been on past its end, and repeat until it is off', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, retryAfterSeconds: 3600, actor: 'alice' });
    advance(deps, 80 * 60_000);
    expect(await runTimer(deps, { kind: 'reminder', turn: 0 })).toEqual({
      kind: 'reminder',
      outcome: 'sent',
    });
    expect(deps.poster.posts.at(-1)?.text).toBe(
      ':alarm_clock: Maintenance is still ON: on for 1 h 20 min, 20 min past its expected end',
    );
    expect(deps.timers.scheduled.get('reminder-1')?.at.toISOString()).toBe('2026-11-23T11:35:00.000Z');

    await setMaintenanceMode(deps, { enabled: false, actor: 'alice' });
    advance(deps, 15 * 60_000);
    deps.timers.scheduled.clear();
    expect(await runTimer(deps, { kind: 'reminder', turn: 0 })).toEqual({ kind: 'reminder', outcome: 'off' });
    expect(deps.poster.posts).toHaveLength(1);
    expect(deps.timers.pending).toEqual([]);
  });

  it('wait for a later end when maintenance was extended', async () => {
    const deps = makeDeps();
    await turnOnUntil(deps, { endsAt: '2026-11-23T12:00:00Z', actor: 'bot' });
    advance(deps, 15 * 60_000);
    expect(await runTimer(deps, { kind: 'reminder', turn: 0 })).toMatchObject({ outcome: 'not-due' });
    expect(deps.poster.posts).toHaveLength(0);
    expect(deps.timers.scheduled.get('reminder-1')?.at.toISOString()).toBe('2026-11-23T12:15:00.000Z');
  });
});
