import { Deadline } from '../../../src/domain/deadline';
import {
  ConflictError,
  PartialChangeError,
  StaleLockError,
  UpstreamError,
  ValidationError,
} from '../../../src/domain/errors';
import { decodeCursor, type Entry, type HistoryCursor } from '../../../src/domain/history';
import type { SlackCommand } from '../../../src/domain/slack-command';
import { runSlackCommand } from '../../../src/use-cases/run-slack-command';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { updateBypassSet } from '../../../src/use-cases/update-bypass-set';
import { updateExemptions } from '../../../src/use-cases/update-exemptions';
import { InMemoryAuditLog, slackRunDeps } from '../../support/fakes';

const T0 = '2026-11-23T10:00:00.000Z';
const FIVE_MINUTES = 5 * 60_000;
const SLACK_ACTOR = 'slack:alice (U2147483697)';

/** Every port a change needs, in memory, with ids `change-1`, `change-2`, ... and a 27 s deadline. */
function makeDeps() {
  let n = 0;
  return slackRunDeps({ newId: () => `change-${++n}` });
}

type Deps = ReturnType<typeof makeDeps>;

/** The history store fails its next `times` writes, as DynamoDB would with a 5xx. */
const failHistory = (deps: Deps, times: number) => {
  for (let i = 0; i < times; i++) deps.audit.failures.push(new UpstreamError('AWS failed: PutItem'));
};

/** Five minutes on, and the next request with a deadline of its own, as each Lambda invocation has. */
const fiveMinutesLater = (deps: Deps) => {
  deps.clock.advance(FIVE_MINUTES);
  deps.deadline = Deadline.in(deps.clock, 27_000);
};

const turnOn = (deps: Deps) =>
  setMaintenanceMode(deps, {
    enabled: true,
    reason: 'Database upgrade',
    retryAfterSeconds: 1800,
    actor: 'deploy-bot',
  });

describe('the history of a toggle', () => {
  it('writes maintenance.on then maintenance.off, each under the change id the rule group names', async () => {
    const deps = makeDeps();

    await turnOn(deps);
    const onId = deps.ruleGroup.state.changeId;
    fiveMinutesLater(deps);
    await setMaintenanceMode(deps, { enabled: false, actor: 'ops' });
    const offId = deps.ruleGroup.state.changeId;

    expect(onId).toBe('change-1');
    expect(offId).toBe('change-2');
    expect(deps.audit.entries).toEqual([
      {
        id: onId,
        at: T0,
        actor: 'deploy-bot',
        action: 'maintenance.on',
        details: { reason: 'Database upgrade', retryAfterSeconds: 1800 },
      },
      {
        id: offId,
        at: '2026-11-23T10:05:00.000Z',
        actor: 'ops',
        action: 'maintenance.off',
        details: { reason: null, retryAfterSeconds: null },
      },
    ]);
    // The entry and the change record the status reads tell the same story.
    expect(deps.changes.records.get(onId ?? '')).toMatchObject({ changedAt: T0, changedBy: 'deploy-bot' });
  });

  it('writes none when maintenance is already as asked', async () => {
    const deps = makeDeps();
    await turnOn(deps);

    const again = await turnOn(deps);
    const off = makeDeps();
    await setMaintenanceMode(off, { enabled: false, actor: 'ops' });

    expect(again.changed).toBe(false);
    expect(deps.audit.entries.map((e) => e.id)).toEqual(['change-1']);
    expect(off.audit.entries).toEqual([]);
  });

  it('writes none for a refused toggle', async () => {
    const deps = makeDeps();

    const run = setMaintenanceMode(deps, { enabled: true, reason: 'half \ud83d', actor: 'a' });

    await expect(run).rejects.toBeInstanceOf(ValidationError);
    expect(deps.ruleGroup.writes).toEqual([]);
    expect(deps.audit.entries).toEqual([]);
  });

  it('writes none when the rule group is never changed', async () => {
    const deps = makeDeps();
    deps.ruleGroup.conflictsBeforeWrite = Number.POSITIVE_INFINITY;

    await expect(turnOn(deps)).rejects.toBeInstanceOf(ConflictError);

    expect(deps.ruleGroup.state.enabled).toBe(false);
    expect(deps.audit.entries).toEqual([]);
  });

  it('writes one entry when the change was applied but its answer was lost', async () => {
    const deps = makeDeps();
    deps.ruleGroup.loseNextAnswer = true;

    await turnOn(deps);

    expect(deps.ruleGroup.writes).toHaveLength(1);
    expect(deps.audit.entries).toMatchObject([{ id: 'change-1', action: 'maintenance.on' }]);
  });

  it("writes only the winner's entry when another request made the same change first", async () => {
    const deps = makeDeps();
    const put = deps.ruleGroup.put.bind(deps.ruleGroup);
    // Our write loses the race: in between, someone else turns maintenance on just as we asked.
    deps.ruleGroup.put = async () => {
      deps.ruleGroup.put = put;
      await setMaintenanceMode(
        { ...deps, newId: () => 'theirs' },
        { enabled: true, reason: 'Database upgrade', retryAfterSeconds: 1800, actor: 'other' },
      );
      throw new StaleLockError();
    };

    const result = await turnOn(deps);

    expect(result.changed).toBe(false);
    expect(deps.ruleGroup.state.changeId).toBe('theirs');
    expect(deps.audit.entries).toMatchObject([{ id: 'theirs', actor: 'other', action: 'maintenance.on' }]);
  });

  it('lets the change stand but says so when the entry cannot be written twice', async () => {
    const deps = makeDeps();
    failHistory(deps, 2);

    const run = turnOn(deps);

    await expect(run).rejects.toBeInstanceOf(PartialChangeError);
    await expect(run).rejects.toThrow(
      'Maintenance was turned ON, but its history entry could not be written: GET /maintenance/history does not show it.',
    );
    await expect(run).rejects.toMatchObject({
      applied: { action: 'maintenance.on', reason: 'Database upgrade', retryAfterSeconds: 1800 },
      cause: expect.any(UpstreamError),
    });
    expect(deps.ruleGroup.state).toMatchObject({ enabled: true, changeId: 'change-1' });
    expect(deps.changes.records.has('change-1')).toBe(true);
    expect(deps.audit.entries).toEqual([]);
    expect(deps.audit.failures).toEqual([]);
  });

  it('writes the entry once when the first try fails and the second succeeds', async () => {
    const deps = makeDeps();
    failHistory(deps, 1);

    await expect(turnOn(deps)).resolves.toMatchObject({ changed: true });

    expect(deps.audit.entries).toMatchObject([{ id: 'change-1', action: 'maintenance.on' }]);
  });
});

describe('the history of a bypass change', () => {
  it('writes bypass.update with what was added and removed, and who did it', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(6, ['2001:db8::/32']);
    fiveMinutesLater(deps);

    await updateBypassSet(deps, { add: ['198.51.100.77/24'], remove: ['2001:DB8::/32'], actor: 'alice' });

    expect(deps.audit.entries).toEqual([
      {
        id: 'change-1',
        at: '2026-11-23T10:05:00.000Z',
        actor: 'alice',
        action: 'bypass.update',
        details: { added: ['198.51.100.0/24'], removed: ['2001:db8::/32'] },
      },
    ]);
  });

  it('writes none when every address is already as asked, or the request is refused', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['192.0.2.0/24']);

    const same = await updateBypassSet(deps, { add: ['192.0.2.0/24'], remove: ['203.0.113.1'], actor: 'a' });
    const refused = updateBypassSet(deps, { add: ['0.0.0.0/0'], actor: 'a' });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    expect([...same.unchanged].sort()).toEqual(['192.0.2.0/24', '203.0.113.1/32']);
    expect(deps.audit.entries).toEqual([]);
  });
});

describe('the history of an exemptions change', () => {
  it('writes exemptions.update with what was added and removed, and who did it', async () => {
    const deps = makeDeps();
    await updateExemptions(deps, { add: ['/health', '/status'], actor: 'alice' });

    await updateExemptions(deps, { add: ['/api/webhooks/*'], remove: ['/status', '/never'], actor: 'bob' });

    expect(deps.audit.entries).toEqual([
      {
        id: 'change-1',
        at: T0,
        actor: 'alice',
        action: 'exemptions.update',
        details: { added: ['/health', '/status'], removed: [] },
      },
      {
        id: 'change-2',
        at: T0,
        actor: 'bob',
        action: 'exemptions.update',
        details: { added: ['/api/webhooks/*'], removed: ['/status'] },
      },
    ]);
  });

  it('writes none when every path is already as asked, or the request is refused', async () => {
    const deps = makeDeps();
    await updateExemptions(deps, { add: ['/health'], actor: 'alice' });

    await updateExemptions(deps, { add: ['/health'], remove: ['/never'], actor: 'alice' });
    await expect(updateExemptions(deps, { add: ['/*'], actor: 'alice' })).rejects.toBeInstanceOf(
      ValidationError,
    );

    expect(deps.audit.entries.map((e) => e.id)).toEqual(['change-1']);
  });
});

describe.each([
  {
    what: 'bypass set',
    change: (deps: Deps) => updateBypassSet(deps, { add: ['198.51.100.7'], actor: 'alice' }),
    said: 'The bypass set was changed',
    applied: { action: 'bypass.update', added: ['198.51.100.7/32'], removed: [] },
    now: (deps: Deps) => deps.bypass.sets[4].addresses,
    expected: ['198.51.100.7/32'],
  },
  {
    what: 'exempt paths',
    change: (deps: Deps) => updateExemptions(deps, { add: ['/health'], actor: 'alice' }),
    said: 'The exempt paths were changed',
    applied: { action: 'exemptions.update', added: ['/health'], removed: [] },
    now: (deps: Deps) => deps.ruleGroup.state.exemptions.map((e) => e.path),
    expected: ['/health'],
  },
])('a change of the $what whose entry cannot be written', ({ change, said, applied, now, expected }) => {
  it('stands, and the answer says it has no entry', async () => {
    const deps = makeDeps();
    failHistory(deps, 2);

    const run = change(deps);

    await expect(run).rejects.toBeInstanceOf(PartialChangeError);
    await expect(run).rejects.toThrow(`${said}, but its history entry could not be written`);
    await expect(run).rejects.toMatchObject({ applied });
    expect(now(deps)).toEqual(expected);
    expect(deps.audit.entries).toEqual([]);
  });
});

describe('the history of a change made from Slack', () => {
  const job = (command: SlackCommand) => ({
    command,
    actor: SLACK_ACTOR,
    userId: 'U2147483697',
    responseUrl: 'https://hooks.slack.com/commands/1/2',
  });

  it('names the Slack user as the actor of `allow` and `deny`', async () => {
    const deps = makeDeps();

    await runSlackCommand(deps, job({ kind: 'allow', addresses: ['198.51.100.77/24'] }));
    await runSlackCommand(deps, job({ kind: 'deny', addresses: ['198.51.100.0/24'] }));

    expect(deps.audit.entries).toMatchObject([
      { actor: SLACK_ACTOR, action: 'bypass.update', details: { added: ['198.51.100.0/24'], removed: [] } },
      { actor: SLACK_ACTOR, action: 'bypass.update', details: { added: [], removed: ['198.51.100.0/24'] } },
    ]);
  });

  it('names the Slack user as the actor of `on`', async () => {
    const deps = makeDeps();

    await runSlackCommand(deps, job({ kind: 'on', reason: 'Database upgrade' }));

    expect(deps.audit.entries).toMatchObject([
      { id: deps.ruleGroup.state.changeId, actor: SLACK_ACTOR, action: 'maintenance.on' },
    ]);
  });

  it('writes none for a `deny` of an address that was not there', async () => {
    const deps = makeDeps();

    await runSlackCommand(deps, job({ kind: 'deny', addresses: ['198.51.100.7'] }));

    expect(deps.bypass.writes).toEqual([]);
    expect(deps.audit.entries).toEqual([]);
  });
});

/** An entry at `at` with id `id`; the rest does not matter to the order. */
const anEntry = (id: string, at: string): Entry => ({
  id,
  at,
  actor: 'ops',
  action: 'bypass.update',
  details: { added: [], removed: [] },
});

/** Every page of `audit`, `limit` at a time, by following nextCursor until it is null. */
async function allPages(audit: InMemoryAuditLog, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: HistoryCursor | null = null;
  do {
    const page = await audit.page({ limit, cursor });
    pages.push(page.entries.map((e) => e.id));
    cursor = page.nextCursor === null ? null : decodeCursor(page.nextCursor);
    if (page.nextCursor !== null) expect(cursor).not.toBeNull();
  } while (cursor !== null && pages.length <= 10);
  return pages;
}

/** Five entries a minute apart, written out of order: `e1` oldest, `e5` newest. */
async function fiveEntries(): Promise<InMemoryAuditLog> {
  const audit = new InMemoryAuditLog();
  for (const n of [3, 1, 5, 2, 4]) await audit.record(anEntry(`e${n}`, `2026-11-23T10:0${n}:00.000Z`));
  return audit;
}

describe('InMemoryAuditLog', () => {
  it('pages newest first, at most `limit` entries, with a cursor while more remain', async () => {
    const audit = await fiveEntries();

    const all = await audit.page({ limit: 20, cursor: null });
    const first = await audit.page({ limit: 2, cursor: null });

    expect(all.entries.map((e) => e.id)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
    expect(all.nextCursor).toBeNull();
    expect(first.entries.map((e) => e.id)).toEqual(['e5', 'e4']);
    expect(decodeCursor(first.nextCursor ?? '')).toEqual({ at: '2026-11-23T10:04:00.000Z', id: 'e4' });
  });

  it('follows the cursor to the end without skipping or repeating, the last page without one', async () => {
    const audit = await fiveEntries();

    expect(await allPages(audit, 2)).toEqual([['e5', 'e4'], ['e3', 'e2'], ['e1']]);
    // A last page that is exactly full still says there is no next one.
    expect(await allPages(audit, 5)).toEqual([['e5', 'e4', 'e3', 'e2', 'e1']]);
    expect(await allPages(audit, 1)).toHaveLength(5);
  });

  it('orders entries of the same time by id, and pages through them', async () => {
    const audit = new InMemoryAuditLog();
    for (const id of ['b', 'c', 'a']) await audit.record(anEntry(id, T0));
    await audit.record(anEntry('z', '2026-11-23T09:59:59.999Z'));

    expect(await allPages(audit, 1)).toEqual([['c'], ['b'], ['a'], ['z']]);
  });

  it('keeps later pages where they were when newer entries are written in between', async () => {
    const audit = await fiveEntries();
    const first = await audit.page({ limit: 2, cursor: null });

    await audit.record(anEntry('e6', '2026-11-23T10:06:00.000Z'));
    const second = await audit.page({ limit: 2, cursor: decodeCursor(first.nextCursor ?? '') });

    expect(second.entries.map((e) => e.id)).toEqual(['e3', 'e2']);
  });

  it('keeps one entry when the same id is written twice', async () => {
    const audit = new InMemoryAuditLog();
    await audit.record(anEntry('e1', T0));
    await audit.record({ ...anEntry('e1', T0), actor: 'someone else' });

    expect(audit.entries).toEqual([anEntry('e1', T0)]);
  });

  it('fails as many writes as it was given failures, then writes', async () => {
    const audit = new InMemoryAuditLog();
    audit.failures.push(new UpstreamError('AWS failed: PutItem'));

    await expect(audit.record(anEntry('e1', T0))).rejects.toBeInstanceOf(UpstreamError);
    await audit.record(anEntry('e1', T0));

    expect(audit.entries.map((e) => e.id)).toEqual(['e1']);
  });
});

describe('the history of a batch whose write was applied but whose answer was lost', () => {
  // What the SDK does after a timed-out write that AWS applied: its retry presents the old lock token, which
  // WAF refuses as stale, and the use case reads again to find nothing left to do.
  const appliedThenStale = (store: object) => {
    const writable = store as { put: (...args: unknown[]) => Promise<void> };
    const put = writable.put.bind(store);
    let lost = 1;
    writable.put = async (...args) => {
      await put(...args);
      if (lost-- > 0) throw new StaleLockError();
    };
  };

  it('still reports and records the bypass change', async () => {
    const deps = makeDeps();
    appliedThenStale(deps.bypass);

    const result = await updateBypassSet(deps, { add: ['192.0.2.1'], actor: 'alice' });

    expect(result.added).toEqual(['192.0.2.1/32']);
    expect(deps.audit.entries).toMatchObject([
      { action: 'bypass.update', actor: 'alice', details: { added: ['192.0.2.1/32'], removed: [] } },
    ]);
  });

  it('still reports and records the exemptions change', async () => {
    const deps = makeDeps();
    appliedThenStale(deps.ruleGroup);

    const result = await updateExemptions(deps, { add: ['/health'], actor: 'alice' });

    expect(result.added).toEqual(['/health']);
    expect(deps.audit.entries).toMatchObject([
      { action: 'exemptions.update', details: { added: ['/health'] } },
    ]);
  });

  it('reports nothing when someone else made the same change before this request wrote anything', async () => {
    const deps = makeDeps();
    await updateBypassSet(deps, { add: ['192.0.2.1'], actor: 'bob' });

    const result = await updateBypassSet(deps, { add: ['192.0.2.1'], actor: 'alice' });

    expect(result).toMatchObject({ added: [], unchanged: ['192.0.2.1/32'] });
    expect(deps.audit.entries.map((e) => e.actor)).toEqual(['bob']);
  });
});
