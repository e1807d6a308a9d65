import { Deadline } from '../../../src/domain/deadline';
import {
  ConflictError,
  DeadlineError,
  PartialChangeError,
  UpstreamError,
  ValidationError,
} from '../../../src/domain/errors';
import { HTML_BODY_KEY } from '../../../src/domain/rule-group';
import { getMaintenanceStatus } from '../../../src/use-cases/get-maintenance-status';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { FakeClock, InMemoryBypassSets, switchDeps } from '../../support/fakes';
import { requestedUrls } from '../../support/page-assets';

function makeDeps() {
  let n = 0;
  const clock = new FakeClock();
  return switchDeps({
    clock,
    policy: { budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.5 },
    deadline: Deadline.in(clock, 27_000),
    newId: () => `change-${++n}`,
  });
}

describe('setMaintenanceMode', () => {
  it('turns maintenance on with one read and one write, recording who, why and when', async () => {
    const deps = makeDeps();
    const result = await setMaintenanceMode(deps, {
      enabled: true,
      reason: 'Database upgrade',
      retryAfterSeconds: 1800,
      actor: 'deploy-bot',
    });
    expect(result).toEqual({
      changed: true,
      status: {
        enabled: true,
        action: 'BLOCK',
        reason: 'Database upgrade',
        retryAfterSeconds: 1800,
        changedAt: '2026-11-23T10:00:00.000Z',
        changedBy: 'deploy-bot',
        bypassLink: expect.stringMatching(/^\/__maintenance\/bypass\/[A-Za-z0-9_-]{43}$/),
        siteUrl: null,
        endsAt: null,
      },
      applied: {
        id: 'change-1',
        enabled: true,
        reason: 'Database upgrade',
        retryAfterSeconds: 1800,
        changedAt: '2026-11-23T10:00:00.000Z',
        changedBy: 'deploy-bot',
      },
    });
    expect(deps.ruleGroup.reads).toBe(1);
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(deps.ruleGroup.state).toMatchObject({
      enabled: true,
      retryAfterSeconds: 1800,
      changeId: 'change-1',
    });
  });

  it('accepts any well-formed Unicode reason and refuses half a surrogate pair', async () => {
    const deps = makeDeps();
    await expect(
      setMaintenanceMode(deps, { enabled: true, reason: '🚧 Datenbank-Upgrade', actor: 'a' }),
    ).resolves.toMatchObject({
      status: { reason: '🚧 Datenbank-Upgrade' },
    });
    await expect(
      setMaintenanceMode(deps, { enabled: true, reason: 'half \ud83d', actor: 'a' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('uses a five-minute Retry-After when none is given', async () => {
    const deps = makeDeps();
    const { status } = await setMaintenanceMode(deps, { enabled: true, actor: 'a' });
    expect(status.retryAfterSeconds).toBe(300);
    expect(status.reason).toBeNull();
  });

  it('writes nothing and reports changed: false when the ACL is already as wanted', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, reason: 'r', retryAfterSeconds: 60, actor: 'first' });
    const again = await setMaintenanceMode(deps, {
      enabled: true,
      reason: 'r',
      retryAfterSeconds: 60,
      actor: 'second',
    });
    expect(again.changed).toBe(false);
    expect(again.status.changedBy).toBe('first');
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(deps.changes.records.size).toBe(1);
  });

  it('treats turning off an ACL that is off as a no-op', async () => {
    const deps = makeDeps();
    const result = await setMaintenanceMode(deps, { enabled: false, actor: 'a' });
    expect(result.changed).toBe(false);
    expect(result.status).toMatchObject({ enabled: false, action: 'COUNT', changedBy: null });
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('keeps the current reason and Retry-After when maintenance is on and they are omitted', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, {
      enabled: true,
      reason: 'Migration',
      retryAfterSeconds: 900,
      actor: 'a',
    });
    const result = await setMaintenanceMode(deps, { enabled: true, actor: 'b' });
    expect(result.changed).toBe(false);
    expect(result.status).toMatchObject({ reason: 'Migration', retryAfterSeconds: 900 });
  });

  it('changes the reason of an ongoing maintenance', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, reason: 'Migration', actor: 'a' });
    const result = await setMaintenanceMode(deps, { enabled: true, reason: 'Still migrating', actor: 'b' });
    expect(result.changed).toBe(true);
    expect(await getMaintenanceStatus(deps)).toMatchObject({ reason: 'Still migrating', changedBy: 'b' });
  });

  it('turns maintenance off and reports COUNT with no Retry-After', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, actor: 'a' });
    const { status, changed } = await setMaintenanceMode(deps, {
      enabled: false,
      reason: 'Done',
      actor: 'b',
    });
    expect(changed).toBe(true);
    expect(status).toMatchObject({
      enabled: false,
      action: 'COUNT',
      retryAfterSeconds: null,
      reason: 'Done',
      changedBy: 'b',
    });
  });

  it('does not read the current change record when it has nothing to carry over', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, reason: 'Migration', actor: 'a' });
    await setMaintenanceMode(deps, { enabled: true, reason: 'New reason', actor: 'a' });
    await setMaintenanceMode(deps, { enabled: false, actor: 'a' });
    expect(deps.changes.finds).toBe(0);
  });

  it('re-reads and retries after a lock conflict, recording the change once', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = 2;
    const { changed } = await setMaintenanceMode(deps, { enabled: true, actor: 'a' });
    expect(changed).toBe(true);
    expect(deps.ruleGroup.reads).toBe(3);
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(deps.changes.records.size).toBe(1);
    expect(deps.clock.slept).toHaveLength(2);
  });

  it('answers ConflictError and leaves the ACL untouched when the lock keeps changing', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = Number.POSITIVE_INFINITY;
    const before = structuredClone(deps.ruleGroup.group);
    await expect(setMaintenanceMode(deps, { enabled: true, actor: 'a' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(deps.ruleGroup.group).toEqual(before);
  });

  it.each([
    [{ reason: '' }, 'reason'],
    [{ reason: 'x'.repeat(501) }, 'reason'],
    [{ retryAfterSeconds: 0 }, 'retryAfterSeconds'],
    [{ retryAfterSeconds: 86_401 }, 'retryAfterSeconds'],
    [{ retryAfterSeconds: 1.5 }, 'retryAfterSeconds'],
  ])('refuses %j before touching the ACL', async (input, field) => {
    const deps = makeDeps();
    const run = setMaintenanceMode(deps, { enabled: true, actor: 'a', ...input });
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toMatchObject({ errors: [expect.objectContaining({ field })] });
    expect(deps.ruleGroup.reads).toBe(0);
  });
});

describe('setMaintenanceMode under a deadline', () => {
  it("starts no write once too little of the request's time is left, and records nothing", async () => {
    const deps = makeDeps();
    deps.clock.advance(27_000 - 999);
    const run = setMaintenanceMode(deps, { enabled: true, actor: 'a' });
    await expect(run).rejects.toBeInstanceOf(DeadlineError);
    expect(deps.ruleGroup.writes).toHaveLength(0);
    expect(deps.changes.records.size).toBe(0);
  });

  it('starts no write once the request has been answered', async () => {
    const deps = makeDeps();
    deps.deadline.close();
    await expect(setMaintenanceMode(deps, { enabled: true, actor: 'a' })).rejects.toBeInstanceOf(
      DeadlineError,
    );
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('stops retrying lock conflicts at the deadline, before the budget is spent', async () => {
    const clock = new FakeClock();
    const deps = { ...makeDeps(), clock, deadline: Deadline.in(clock, 1_500) };
    deps.policy = { ...deps.policy, budgetMs: 60_000 };
    deps.ruleGroup.conflictsBeforeWrite = 1_000;
    await expect(setMaintenanceMode(deps, { enabled: true, actor: 'a' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(clock.now().getTime() - Date.parse('2026-11-23T10:00:00.000Z')).toBeLessThan(1_500);
    expect(deps.ruleGroup.writes).toHaveLength(0);
  });

  it('recognises its own change after a write whose answer was lost, and reports it as made', async () => {
    const deps = makeDeps();
    deps.ruleGroup.loseNextAnswer = true;
    const result = await setMaintenanceMode(deps, { enabled: true, reason: 'Upgrade', actor: 'a' });
    expect(result).toMatchObject({
      changed: true,
      status: { enabled: true, reason: 'Upgrade', changedBy: 'a' },
    });
    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(deps.changes.records.size).toBe(1);
  });
});

describe('setMaintenanceMode writes the group and the change record together', () => {
  it('sends the rule group write without waiting for the record', async () => {
    const deps = makeDeps();
    const record = deps.changes.record.bind(deps.changes);
    let groupWrittenFirst = false;
    deps.changes.record = async (change) => {
      // The record's write only completes once the group's has been sent: sequential writes would hang.
      await new Promise<void>((resolve) => {
        const waitForPut = () => (deps.ruleGroup.writes.length > 0 ? resolve() : setImmediate(waitForPut));
        waitForPut();
      });
      groupWrittenFirst = true;
      return record(change);
    };
    const { changed } = await setMaintenanceMode(deps, { enabled: true, reason: 'r', actor: 'a' });
    expect(changed).toBe(true);
    expect(groupWrittenFirst).toBe(true);
  });

  it('tries a failed record once more after the group was written', async () => {
    const deps = makeDeps();
    const record = deps.changes.record.bind(deps.changes);
    let failures = 1;
    deps.changes.record = async (change) => {
      if (failures-- > 0) throw new UpstreamError('AWS failed: PutItem');
      return record(change);
    };
    const result = await setMaintenanceMode(deps, { enabled: true, reason: 'Upgrade', actor: 'a' });
    expect(result.status).toMatchObject({ enabled: true, reason: 'Upgrade', changedBy: 'a' });
    expect(await getMaintenanceStatus(deps)).toMatchObject({ reason: 'Upgrade', changedBy: 'a' });
  });

  it('says maintenance changed without its who and why when the record cannot be written', async () => {
    const deps = makeDeps();
    deps.changes.record = async () => {
      throw new UpstreamError('AWS failed: PutItem');
    };
    const run = setMaintenanceMode(deps, { enabled: true, reason: 'Upgrade', actor: 'a' });
    await expect(run).rejects.toBeInstanceOf(PartialChangeError);
    await expect(run).rejects.toThrow('Maintenance is now ON, but its change record could not be written');
    expect(deps.ruleGroup.state.enabled).toBe(true);
  });

  it('leaves the status as it was when the group write fails, whatever the record did', async () => {
    const deps = makeDeps();
    deps.ruleGroup.put = async () => {
      throw new UpstreamError('AWS failed: UpdateRuleGroup');
    };
    await expect(setMaintenanceMode(deps, { enabled: true, reason: 'r', actor: 'a' })).rejects.toBeInstanceOf(
      UpstreamError,
    );
    expect(await getMaintenanceStatus(deps)).toMatchObject({ enabled: false, changedBy: null });
  });

  it('records once for one intent, however many attempts lose a race', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = 3;
    await setMaintenanceMode(deps, { enabled: true, reason: 'r', actor: 'a' });
    expect(deps.changes.records.size).toBe(1);
  });

  it("renders the page complete in itself when the switch is attached to a team's own web ACL", async () => {
    const deps = { ...makeDeps(), pageStyle: 'inline' as const };
    await setMaintenanceMode(deps, { enabled: true, reason: 'Upgrade', retryAfterSeconds: 1800, actor: 'a' });
    const html = deps.ruleGroup.state.bodies[HTML_BODY_KEY].Content ?? '';
    expect(html).toContain('<p dir="auto">Upgrade</p>');
    expect(html).toContain('about 30 minutes');
    expect(requestedUrls(html)).toEqual([]);
    expect(html).not.toContain('<script');
  });
});

describe('setMaintenanceMode reason rules', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a tab', 'a\tb'],
    ['a line break', 'line one\nline two'],
    ['a carriage return', 'a\rb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['the line separator', 'a\u2028b'],
    ['a bidi override', 'invoice \u202eexe.pdf'],
    ['a bidi isolate', 'a\u2066b\u2069'],
  ])('refuses a reason holding %s, naming the field', async (_what, reason) => {
    const deps = makeDeps();
    const run = setMaintenanceMode(deps, { enabled: true, reason, actor: 'a' });
    await expect(run).rejects.toMatchObject({
      errors: [{ field: 'reason', message: expect.stringContaining('without control characters') }],
    });
    expect(deps.ruleGroup.reads).toBe(0);
  });

  it.each([
    ['accents', 'Mise à jour de la base de données'],
    ['Arabic', 'صيانة قاعدة البيانات'],
    ['Hebrew with marks', 'תחזוקה \u200fמתוכננת'],
    ['emoji', '🚧 Upgrade 👷🏽‍♀️'],
    ['CJK', 'データベースの更新'],
  ])('accepts ordinary text in any script: %s', async (_what, reason) => {
    const deps = makeDeps();
    const { status } = await setMaintenanceMode(deps, { enabled: true, reason, actor: 'a' });
    expect(status.reason).toBe(reason);
  });
});

describe('getMaintenanceStatus', () => {
  it('reports the change record named by the ACL, not the latest record written', async () => {
    const deps = makeDeps();
    await setMaintenanceMode(deps, { enabled: true, reason: 'Applied', actor: 'winner' });
    // A racing writer recorded its intent but lost the ACL write: its record must not show.
    await deps.changes.record({
      id: 'orphan',
      enabled: false,
      reason: 'Lost',
      retryAfterSeconds: null,
      changedAt: '2026-11-23T11:00:00.000Z',
      changedBy: 'loser',
    });
    expect(await getMaintenanceStatus(deps)).toMatchObject({
      enabled: true,
      reason: 'Applied',
      changedBy: 'winner',
    });
  });
});

describe('setMaintenanceMode and the caller’s own address', () => {
  const withBypass = (v4: string[] = [], v6: string[] = []) => {
    const bypass = new InMemoryBypassSets();
    bypass.sets[4].addresses = v4;
    bypass.sets[6].addresses = v6;
    return { ...makeDeps(), bypass };
  };

  it.each([
    ['an IPv4 address in a bypassed network', '203.0.113.7', ['203.0.113.0/24'], [], true],
    ['an IPv4 address outside it', '198.51.100.7', ['203.0.113.0/24'], [], false],
    ['an IPv6 address in the IPv6 set', '2001:db8:42::9', [], ['2001:db8:42::/48'], true],
    [
      'an IPv4-mapped IPv6 source, as the IPv4 address it is',
      '::ffff:203.0.113.7',
      ['203.0.113.0/24'],
      [],
      true,
    ],
    ['an IPv4 address whose digits only look like an IPv6 entry', '10.0.0.1', [], ['::a00:1/128'], false],
  ])('tells whether %s gets the site', async (_what, ip, v4, v6, bypassed) => {
    const deps = withBypass(v4, v6);
    const result = await setMaintenanceMode(deps, { enabled: true, actor: 'a', callerIp: ip });
    expect(result.caller).toEqual({ ip, bypassed });
    expect(deps.bypass.writes).toEqual([]);
  });

  it('says it for a toggle that changed nothing too', async () => {
    const deps = withBypass(['203.0.113.7/32']);
    await setMaintenanceMode(deps, { enabled: true, actor: 'a' });
    const again = await setMaintenanceMode(deps, { enabled: true, actor: 'a', callerIp: '203.0.113.7' });
    expect(again).toMatchObject({ changed: false, caller: { ip: '203.0.113.7', bypassed: true } });
  });

  it('leaves `caller` out when the address is unknown (Slack)', async () => {
    const result = await setMaintenanceMode(withBypass(), { enabled: true, actor: 'slack:a' });
    expect(result).not.toHaveProperty('caller');
  });

  it('changes nothing when the bypass sets cannot be read', async () => {
    const deps = withBypass();
    deps.bypass.get = async () => {
      throw new UpstreamError('GetIPSet failed');
    };
    await expect(
      setMaintenanceMode(deps, { enabled: true, actor: 'a', callerIp: '203.0.113.7' }),
    ).rejects.toThrow(UpstreamError);
    expect(deps.ruleGroup.writes).toHaveLength(0);
    expect(deps.changes.records.size).toBe(0);
  });
});
