import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { freePort } from '../../scripts/local/moto';
import type { Entry } from '../../src/domain/history';
import type { MaintenanceStatus } from '../../src/domain/maintenance-status';
import type { MaintenanceWindow } from '../../src/domain/windows';
import { type JsonListener, startJsonListener } from '../support/json-listener';
import {
  READY_TIMEOUT_MS,
  STOP_TIMEOUT_MS,
  type Started,
  scriptEnv,
  startScript,
  stopScript,
  waitForBanner,
} from '../support/script-stack';

// Planned maintenance on the local stack, in real seconds: the scheduler runner fires the emulator's
// schedules into the scheduled function through serverless-offline, as EventBridge Scheduler would.

const STAGE = 'windowstest';
/** How far a window's effect may trail its moment (issue 12: within 2 s). */
const WITHIN_MS = 2_000;
/** The reminders' interval for this stack: short enough to see one. */
const REMINDER_SECONDS = 3;

describe('planned maintenance on the local stack', () => {
  let started: Started | undefined;
  let api: { apiUrl: string; admin: string; operator: string };
  let webhook: JsonListener;
  let scheduler: SchedulerClient;

  function call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${api.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${api.operator}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  }

  const status = async () => (await (await call('GET', '/maintenance')).json()) as MaintenanceStatus;

  /** Polls the status every 100 ms until `wanted` holds, for at most `ms`; the moment it was seen, or null. */
  async function seen(wanted: (s: MaintenanceStatus) => boolean, ms: number): Promise<number | null> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (wanted(await status())) return Date.now();
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }

  /** A moment `ms` from now, in whole seconds (as a person would type it), RFC 3339. */
  const inMs = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000).toISOString();

  async function schedule(startsAt: string, endsAt: string, reason: string): Promise<MaintenanceWindow> {
    const res = await call('POST', '/maintenance/windows', { startsAt, endsAt, reason });
    expect(res.status).toBe(201);
    return (await res.json()) as MaintenanceWindow;
  }

  async function history(query = 'limit=100'): Promise<{ entries: Entry[]; nextCursor: string | null }> {
    return (await (await call('GET', `/maintenance/history?${query}`)).json()) as {
      entries: Entry[];
      nextCursor: string | null;
    };
  }

  async function scheduleNames(): Promise<string[]> {
    const out = await scheduler.send(new ListSchedulesCommand({ GroupName: `waf-maintenance-${STAGE}` }));
    return (out.Schedules ?? []).map((s) => s.Name ?? '').sort();
  }

  beforeAll(async () => {
    webhook = await startJsonListener();
    const motoPort = await freePort();
    started = startScript(
      scriptEnv({
        PORT: String(await freePort()),
        MOTO_PORT: String(motoPort),
        EDGE_PORT: String(await freePort()),
        SLACK_WEBHOOK_URL: `${webhook.url}/services/T0LOCAL/B0LOCAL/windows`,
        REMINDER_INTERVAL_SECONDS: String(REMINDER_SECONDS),
      }),
      ['--stage', STAGE],
    );
    api = await waitForBanner(started);
    scheduler = new SchedulerClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${motoPort}`,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await stopScript(started);
    await webhook?.close();
  }, STOP_TIMEOUT_MS + 5_000);

  it('refuses a window without a time zone, naming the field, and one that overlaps (409)', async () => {
    const bad = await call('POST', '/maintenance/windows', {
      startsAt: '2030-01-01T02:00:00',
      endsAt: '2030-01-01T03:00:00Z',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'startsAt' }] });

    const first = await schedule(inMs(3_600_000), inMs(7_200_000), 'Later');
    const overlapping = await call('POST', '/maintenance/windows', {
      startsAt: inMs(5_400_000),
      endsAt: inMs(9_000_000),
    });
    expect(overlapping.status).toBe(409);
    expect((await call('DELETE', `/maintenance/windows/${first.id}`)).status).toBe(200);
    expect((await call('DELETE', `/maintenance/windows/${first.id}`)).status).toBe(404);
  });

  it('turns maintenance on and off by itself, within 2 s of its times; a cancelled window never starts', async () => {
    const startsAt = inMs(6_000);
    const endsAt = new Date(Date.parse(startsAt) + 5_000).toISOString();
    const window = await schedule(startsAt, endsAt, 'Database upgrade');
    // A second window, right after, cancelled at once: it must never start.
    const cancelled = await schedule(endsAt, new Date(Date.parse(endsAt) + 3_000).toISOString(), 'Never');
    const cancel = await call('DELETE', `/maintenance/windows/${cancelled.id}`);
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toMatchObject({ id: cancelled.id, state: 'cancelled' });
    expect(await scheduleNames()).toEqual([`${window.id}-end`, `${window.id}-start`]);

    const listed = (await (await call('GET', '/maintenance/windows')).json()) as {
      windows: MaintenanceWindow[];
    };
    expect(listed.windows).toEqual([window]);

    const on = await seen((s) => s.enabled, 6_000 + WITHIN_MS + 2_000);
    expect(on).not.toBeNull();
    const during = await status();
    expect(during).toMatchObject({
      enabled: true,
      reason: 'Database upgrade',
      changedBy: `window:${window.id}`,
      endsAt,
    });
    // Never early, and within 2 s: the change's own time, and when it was seen.
    expect(Date.parse(during.changedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(startsAt));
    expect((on as number) - Date.parse(startsAt)).toBeLessThanOrEqual(WITHIN_MS);
    expect(during.retryAfterSeconds).toBeGreaterThanOrEqual(4);
    expect(during.retryAfterSeconds).toBeLessThanOrEqual(5);

    const off = await seen((s) => !s.enabled, 5_000 + WITHIN_MS + 2_000);
    expect(off).not.toBeNull();
    const after = await status();
    expect(Date.parse(after.changedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(endsAt));
    expect((off as number) - Date.parse(endsAt)).toBeLessThanOrEqual(WITHIN_MS);
    expect(after).toMatchObject({ changedBy: `window:${window.id}`, endsAt: null });

    // Past the cancelled window's start and end: it changed nothing, and left no schedule behind.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(cancelled.endsAt) + 1_500 - Date.now())));
    expect((await status()).enabled).toBe(false);
    expect((await history()).entries.some((e) => e.actor === `window:${cancelled.id}`)).toBe(false);
    expect(await scheduleNames()).toEqual([]);
    expect(
      ((await (await call('GET', '/maintenance/windows')).json()) as { windows: unknown[] }).windows,
    ).toEqual([]);
  }, 40_000);

  it("leaves a manual takeover alone at the window's end, and says so", async () => {
    const startsAt = inMs(3_000);
    const endsAt = new Date(Date.parse(startsAt) + 3_000).toISOString();
    const window = await schedule(startsAt, endsAt, 'Planned');
    expect(await seen((s) => s.enabled, 3_000 + WITHIN_MS + 2_000)).not.toBeNull();
    const takeover = await call('POST', '/maintenance', { enabled: true, reason: 'The migration overran' });
    expect(takeover.status).toBe(200);

    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(endsAt) + WITHIN_MS + 500 - Date.now())));
    expect(await status()).toMatchObject({ enabled: true, reason: 'The migration overran', endsAt: null });
    const ended = (await history()).entries.find(
      (e) => e.action === 'window.end' && e.details.windowId === window.id,
    );
    expect(ended).toMatchObject({ actor: `window:${window.id}`, details: { outcome: 'left-alone' } });

    expect((await call('POST', '/maintenance', { enabled: false })).status).toBe(200);
  }, 30_000);

  it('ends an endsAt toggle by itself, and reminds while maintenance is on past its expected end', async () => {
    const endsAt = inMs(3_000);
    const res = await call('POST', '/maintenance', { enabled: true, reason: 'Quick deploy', endsAt });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, changed: true, endsAt });
    expect(await seen((s) => !s.enabled, 3_000 + WITHIN_MS + 2_000)).not.toBeNull();

    // On with a 1 s Retry-After and no window: past its expected end, a reminder every 3 s.
    const before = webhook.received.length;
    expect((await call('POST', '/maintenance', { enabled: true, retryAfterSeconds: 1 })).status).toBe(200);
    const until = Date.now() + 1_000 + 2 * REMINDER_SECONDS * 1_000 + 6_000;
    const reminders = () =>
      webhook.received.slice(before).filter((m) => JSON.stringify(m).includes('Maintenance is still ON'));
    while (reminders().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(reminders().length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(reminders()[0])).toMatch(/on for \d+ s, \d+ s past its expected end/);

    expect((await call('POST', '/maintenance', { enabled: false })).status).toBe(200);
    // Off: the reminders stop, and no reminder schedule is left.
    await new Promise((r) => setTimeout(r, REMINDER_SECONDS * 1_000 + 2_000));
    const count = reminders().length;
    await new Promise((r) => setTimeout(r, REMINDER_SECONDS * 1_000 + 1_000));
    expect(reminders()).toHaveLength(count);
    expect(await scheduleNames()).toEqual([]);
  }, 45_000);

  it('keeps every change in the history, newest first, a page at a time, each announced to the webhook', async () => {
    const all = (await history()).entries;
    const actions = all.map((e) => e.action);
    for (const action of [
      'window.create',
      'window.cancel',
      'window.end',
      'maintenance.on',
      'maintenance.off',
    ])
      expect(actions).toContain(action);
    const times = all.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const first = await history('limit=3');
    expect(first.entries).toEqual(all.slice(0, 3));
    const second = await history(`limit=3&cursor=${first.nextCursor}`);
    expect(second.entries).toEqual(all.slice(3, 6));

    // The stream runner polls the emulator's stream: wait (bounded) for the last announcements.
    const announced = () =>
      webhook.received.filter((m) => !JSON.stringify(m).includes('Maintenance is still ON'));
    const until = Date.now() + 20_000;
    while (announced().length < all.length && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(announced()).toHaveLength(all.length);
    const texts = announced().map((m) => JSON.stringify(m));
    expect(texts.some((t) => t.includes('scheduled maintenance window'))).toBe(true);
    expect(texts.some((t) => t.includes('cancelled maintenance window'))).toBe(true);
    expect(texts.some((t) => t.includes('had taken over maintenance since'))).toBe(true);
  }, 30_000);
});
