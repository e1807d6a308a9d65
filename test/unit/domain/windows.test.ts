import {
  checkWindow,
  findOverlap,
  isPending,
  isWindowId,
  listed,
  type MaintenanceWindow,
  retryAfterFor,
  TIMER_MAX_AGE_MS,
  timerName,
  WINDOW_LIMITS,
} from '../../../src/domain/windows';

const now = new Date('2026-12-01T10:00:00.000Z');

function aWindow(overrides: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    startsAt: '2026-12-06T02:00:00.000Z',
    endsAt: '2026-12-06T03:00:00.000Z',
    reason: 'Database upgrade',
    retryAfterSeconds: null,
    state: 'scheduled',
    createdBy: 'ops',
    createdAt: '2026-12-01T09:00:00.000Z',
    ...overrides,
  };
}

const fieldsOf = (check: ReturnType<typeof checkWindow>) =>
  check.ok ? [] : check.errors.map((e) => e.field);

describe('the window rules, at a fixed moment', () => {
  it('accepts a window in the future, with an offset, and keeps its moments in UTC', () => {
    const check = checkWindow(
      { startsAt: '2026-12-06T03:00:00+01:00', endsAt: '2026-12-06T03:00:00Z', reason: 'DB' },
      now,
    );
    expect(check).toEqual({
      ok: true,
      startsAt: new Date('2026-12-06T02:00:00.000Z'),
      endsAt: new Date('2026-12-06T03:00:00.000Z'),
      reason: 'DB',
      retryAfterSeconds: null,
    });
  });

  it.each([
    [
      'a start without a time zone',
      { startsAt: '2026-12-06T02:00:00', endsAt: '2026-12-06T03:00:00Z' },
      ['startsAt'],
    ],
    [
      'an end without a time zone',
      { startsAt: '2026-12-06T02:00:00Z', endsAt: '2026-12-06 03:00' },
      ['endsAt'],
    ],
    ['a start now', { startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T11:00:00Z' }, ['startsAt']],
    [
      'a start in the past',
      { startsAt: '2026-11-30T10:00:00Z', endsAt: '2026-12-01T11:00:00Z' },
      ['startsAt'],
    ],
    [
      'a start over a year ahead',
      { startsAt: '2027-12-02T10:00:00Z', endsAt: '2027-12-02T11:00:00Z' },
      ['startsAt'],
    ],
    [
      'an end before the start',
      { startsAt: '2026-12-06T03:00:00Z', endsAt: '2026-12-06T02:00:00Z' },
      ['endsAt'],
    ],
    ['an end at the start', { startsAt: '2026-12-06T03:00:00Z', endsAt: '2026-12-06T03:00:00Z' }, ['endsAt']],
    [
      'a window over 7 days',
      { startsAt: '2026-12-06T00:00:00Z', endsAt: '2026-12-13T00:00:01Z' },
      ['endsAt'],
    ],
    [
      'a reason on two lines',
      { startsAt: '2026-12-06T02:00:00Z', endsAt: '2026-12-06T03:00:00Z', reason: 'a\nb' },
      ['reason'],
    ],
    [
      'a Retry-After of 0',
      { startsAt: '2026-12-06T02:00:00Z', endsAt: '2026-12-06T03:00:00Z', retryAfterSeconds: 0 },
      ['retryAfterSeconds'],
    ],
    ['numbers for moments', { startsAt: 1, endsAt: 2 }, ['startsAt', 'endsAt']],
  ])('refuses %s, naming the field', (_, request, fields) => {
    expect(fieldsOf(checkWindow(request, now))).toEqual(fields);
  });

  it('takes exactly 7 days and exactly a year ahead', () => {
    expect(checkWindow({ startsAt: '2026-12-06T00:00:00Z', endsAt: '2026-12-13T00:00:00Z' }, now).ok).toBe(
      true,
    );
    expect(checkWindow({ startsAt: '2027-12-01T10:00:00Z', endsAt: '2027-12-01T11:00:00Z' }, now).ok).toBe(
      true,
    );
  });

  it('reads a toggle that ends by itself as starting now: only the end must be ahead, 7 days at most', () => {
    expect(checkWindow({ endsAt: '2026-12-01T10:45:00Z' }, now, { startsNow: true })).toMatchObject({
      ok: true,
      startsAt: now,
    });
    expect(fieldsOf(checkWindow({ endsAt: '2026-12-01T09:59:59Z' }, now, { startsNow: true }))).toEqual([
      'endsAt',
    ]);
    expect(fieldsOf(checkWindow({ endsAt: '2026-12-08T10:00:01Z' }, now, { startsNow: true }))).toEqual([
      'endsAt',
    ]);
  });
});

describe('overlap', () => {
  const booked = aWindow();

  it.each([
    ['inside', '2026-12-06T02:10:00.000Z', '2026-12-06T02:20:00.000Z', true],
    ['across the start', '2026-12-06T01:30:00.000Z', '2026-12-06T02:30:00.000Z', true],
    ['across the end', '2026-12-06T02:30:00.000Z', '2026-12-06T04:00:00.000Z', true],
    ['around it', '2026-12-06T01:00:00.000Z', '2026-12-06T04:00:00.000Z', true],
    ['ending as it starts', '2026-12-06T01:00:00.000Z', '2026-12-06T02:00:00.000Z', false],
    ['starting as it ends', '2026-12-06T03:00:00.000Z', '2026-12-06T04:00:00.000Z', false],
  ])('a window %s overlaps: %s', (_, startsAt, endsAt, overlaps) => {
    expect(findOverlap([booked], { startsAt, endsAt }, now) === booked).toBe(overlaps);
  });

  it('ignores windows that are done or cancelled', () => {
    const span = { startsAt: booked.startsAt, endsAt: booked.endsAt };
    expect(
      findOverlap(
        [
          { ...booked, state: 'done' },
          { ...booked, state: 'cancelled' },
        ],
        span,
        now,
      ),
    ).toBeUndefined();
    expect(findOverlap([{ ...booked, state: 'active' }], span, now)?.state).toBe('active');
  });

  it('ignores a window whose end is over an hour past, whatever the calendar says: its timers can no longer fire', () => {
    const span = { startsAt: booked.startsAt, endsAt: booked.endsAt };
    const justAfter = new Date(Date.parse(booked.endsAt) + TIMER_MAX_AGE_MS - 1);
    const later = new Date(Date.parse(booked.endsAt) + TIMER_MAX_AGE_MS);
    expect(findOverlap([booked], span, justAfter)).toBe(booked);
    expect(findOverlap([booked], span, later)).toBeUndefined();
    expect(isPending(booked, later)).toBe(false);
    expect(listed([booked], later)).toEqual([]);
  });
});

describe('a window at work', () => {
  it("defaults Retry-After to the whole seconds left until its end, within WAF's 1 to 86400", () => {
    const w = {
      retryAfterSeconds: null,
      startsAt: '2026-12-01T09:00:00.000Z',
      endsAt: '2026-12-01T11:00:00.500Z',
    };
    expect(retryAfterFor(w, now)).toBe(3601);
    expect(retryAfterFor({ ...w, endsAt: '2026-12-03T10:00:00Z' }, now)).toBe(86_400);
    expect(retryAfterFor({ ...w, endsAt: '2026-12-01T09:00:00Z' }, now)).toBe(1);
    expect(retryAfterFor({ ...w, retryAfterSeconds: 120 }, now)).toBe(120);
  });

  it('counts Retry-After from the start itself when the window starts on time, so two deliveries agree', () => {
    const w = {
      retryAfterSeconds: null,
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-01T11:00:00.000Z',
    };
    expect(retryAfterFor(w, new Date('2026-12-01T10:00:00.300Z'))).toBe(3600);
    expect(retryAfterFor(w, new Date('2026-12-01T10:00:01.700Z'))).toBe(3600);
    // Late (Scheduler retried for a while): the time that is really left.
    expect(retryAfterFor(w, new Date('2026-12-01T10:30:00.000Z'))).toBe(1800);
  });

  it('lists pending windows by start, then id', () => {
    const a = aWindow({ id: 'b', startsAt: '2026-12-07T00:00:00.000Z' });
    const b = aWindow({ id: 'a', startsAt: '2026-12-07T00:00:00.000Z', state: 'active' });
    const c = aWindow({ id: 'c', startsAt: '2026-12-02T00:00:00.000Z' });
    const gone = aWindow({ id: 'd', state: 'cancelled' });
    expect(listed([a, b, c, gone], now).map((w) => w.id)).toEqual(['c', 'a', 'b']);
  });

  it('names its timers after its id and edge, within Scheduler names (1-64 of [0-9a-zA-Z-_.])', () => {
    const id = '11111111-1111-4111-8111-111111111111';
    for (const name of [
      timerName({ kind: 'window.start', windowId: id }),
      timerName({ kind: 'window.end', windowId: id }),
      timerName({ kind: 'reminder', turn: 0 }),
    ]) {
      expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    }
    expect(timerName({ kind: 'window.start', windowId: id })).toBe(`${id}-start`);
    expect(isWindowId(id)).toBe(true);
    expect(isWindowId('../x')).toBe(false);
  });
});

describe('the calendar item', () => {
  it("stays well within DynamoDB's 400 KB item limit at its fullest, which moto does not enforce", () => {
    const longest = '\u{1F6A7}'.repeat(500); // 500 characters of 4 UTF-8 bytes each, the longest reason
    const windows = Array.from({ length: WINDOW_LIMITS.maxPending }, (_, i) =>
      aWindow({ id: `${i}`.padStart(8, '0').padEnd(36, '-'), reason: longest, createdBy: 'x'.repeat(200) }),
    );
    expect(Buffer.byteLength(JSON.stringify(windows))).toBeLessThan(400_000 / 2);
  });
});
