import type { SlackCommand } from '../../../src/domain/slack-command';
import { acknowledgeSlackCommand } from '../../../src/use-cases/acknowledge-slack-command';
import { turnOnUntil } from '../../../src/use-cases/plan-window';
import { runSlackCommand } from '../../../src/use-cases/run-slack-command';
import { InMemorySlackGrants, RecordingJobQueue, slackRunDeps } from '../../support/fakes';
import { blockKitTexts } from '../../support/slack';
import { aWindow, windowPorts } from '../../support/window-fakes';

const ID = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
/** The first id drawn is the window's; the rest (change records, entries) are numbered. */
function ids() {
  let n = 0;
  return () => (n++ === 0 ? ID : `change-${n}`);
}
const makeDeps = (windows: ReturnType<typeof aWindow>[] = []) =>
  slackRunDeps({ ...windowPorts(windows), newId: ids() });

const job = (command: SlackCommand) => ({
  command,
  actor: 'slack:alice (U2147483697)',
  userId: 'U2147483697',
  responseUrl: 'https://hooks.slack.com/commands/1/2',
});

// The fake clock stands at 2026-11-23T10:00:00Z.
const schedule = {
  kind: 'schedule',
  startsAt: '2026-12-06T02:00:00.000Z',
  endsAt: '2026-12-06T03:00:00.000Z',
  reason: 'Database <upgrade>',
} as const;

describe('runSlackCommand with windows', () => {
  it('schedules a window as the Slack user, sets its two timers, and announces it in the channel', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job(schedule));

    expect(deps.windows.windows).toEqual([
      {
        id: ID,
        startsAt: schedule.startsAt,
        endsAt: schedule.endsAt,
        reason: 'Database <upgrade>',
        retryAfterSeconds: null,
        state: 'scheduled',
        createdBy: 'slack:alice (U2147483697)',
        createdAt: '2026-11-23T10:00:00.000Z',
      },
    ]);
    expect(deps.timers.pending).toEqual([`${ID}-end`, `${ID}-start`]);
    expect(deps.audit.entries.map((e) => [e.action, e.actor])).toEqual([
      ['window.create', 'slack:alice (U2147483697)'],
    ]);
    const [post, ...others] = deps.responder.posts;
    expect(others).toEqual([]);
    expect(post?.message.response_type).toBe('in_channel');
    const text = blockKitTexts(post?.message ?? { text: '' }).join('\n');
    expect(text).toBe(
      [
        ':calendar: <@U2147483697> scheduled maintenance from <!date^1796522400^{date_short_pretty} {time}|2026-12-06T02:00:00.000Z> to <!date^1796526000^{date_short_pretty} {time}|2026-12-06T03:00:00.000Z> (1h).',
        '>Database &lt;upgrade&gt;',
        `Maintenance turns on and off by itself. Window \`${ID}\`; \`/maintenance cancel ${ID}\` calls it off.`,
      ].join('\n'),
    );
  });

  it('tells only the caller why a window is refused, naming the field, and schedules nothing', async () => {
    const deps = makeDeps();
    await runSlackCommand(
      deps,
      job({ ...schedule, startsAt: '2026-11-23T09:00:00.000Z', endsAt: '2026-11-23T09:30:00.000Z' }),
    );

    expect(deps.windows.windows).toEqual([]);
    expect(deps.timers.pending).toEqual([]);
    expect(deps.responder.posts.map((p) => p.message.response_type)).toEqual(['ephemeral']);
    expect(blockKitTexts(deps.responder.posts[0]?.message ?? { text: '' }).join('\n')).toBe(
      ':warning: Nothing was changed:\n• startsAt: must be in the future',
    );
  });

  it('refuses a window overlapping another, and says which', async () => {
    const deps = makeDeps([aWindow({ id: 'other' })]);
    await runSlackCommand(deps, job(schedule));

    expect(deps.windows.windows.map((w) => w.id)).toEqual(['other']);
    expect(deps.timers.pending).toEqual([]);
    expect(deps.responder.posts[0]?.message.text).toMatch(
      /^:warning: Nothing was changed: The window overlaps window other \(/,
    );
  });

  it('lists the windows for the caller only', async () => {
    const deps = makeDeps([
      aWindow(),
      aWindow({
        id: 'w0',
        startsAt: '2026-11-30T02:00:00.000Z',
        endsAt: '2026-11-30T02:45:00.000Z',
        reason: null,
      }),
    ]);
    await runSlackCommand(deps, job({ kind: 'windows' }));

    const [post] = deps.responder.posts;
    expect(post?.message.response_type).toBe('ephemeral');
    const text = blockKitTexts(post?.message ?? { text: '' }).join('\n');
    expect(text.split('\n')).toEqual([
      '2 maintenance windows:',
      '• *scheduled* from <!date^1796004000^{date_short_pretty} {time}|2026-11-30T02:00:00.000Z> to <!date^1796006700^{date_short_pretty} {time}|2026-11-30T02:45:00.000Z> (45m), `w0`',
      `• *scheduled* from <!date^1796522400^{date_short_pretty} {time}|2026-12-06T02:00:00.000Z> to <!date^1796526000^{date_short_pretty} {time}|2026-12-06T03:00:00.000Z> (1h), \`${ID}\`: Database upgrade`,
    ]);
  });

  it('says there are no windows when there are none', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'windows' }));

    expect(deps.responder.posts.map((p) => p.message.text)).toEqual(['No scheduled or active windows.']);
  });

  it('cancels a scheduled window: it leaves the calendar, its timers go, and the channel hears it never starts', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job(schedule));
    await runSlackCommand(deps, job({ kind: 'cancel', id: ID }));

    expect(deps.windows.windows).toEqual([]);
    expect(deps.timers.pending).toEqual([]);
    expect(deps.ruleGroup.writes).toEqual([]);
    expect(deps.audit.entries.map((e) => e.action)).toEqual(['window.create', 'window.cancel']);
    const post = deps.responder.posts[1];
    expect(post?.message.response_type).toBe('in_channel');
    const text = blockKitTexts(post?.message ?? { text: '' }).join('\n');
    expect(text).toContain(':x: <@U2147483697> cancelled the maintenance window from <!date^1796522400^');
    expect(text).toContain(`It had not started: it never will. Window \`${ID}\`.`);
  });

  it('cancels an active window by turning maintenance off, and says so', async () => {
    const deps = makeDeps();
    // An `on` that ends by itself (POST /maintenance with endsAt): the switch is this window's now.
    await turnOnUntil(deps, { endsAt: '2026-11-23T11:00:00.000Z', actor: 'ops' });
    await runSlackCommand(deps, job({ kind: 'cancel', id: ID }));

    expect(deps.ruleGroup.state.enabled).toBe(false);
    expect(deps.windows.windows).toEqual([]);
    const text = blockKitTexts(deps.responder.posts.at(-1)?.message ?? { text: '' }).join('\n');
    expect(text).toContain('It had started: maintenance is OFF again, visitors reach the site.');
  });

  it('answers an unknown id with what the use case says, changing nothing', async () => {
    const deps = makeDeps();
    await runSlackCommand(deps, job({ kind: 'cancel', id: 'nope' }));

    expect(deps.responder.posts.map((p) => p.message.text)).toEqual([
      ':warning: Nothing was changed: No scheduled or active window has the id "nope".',
    ]);
    expect(deps.audit.entries).toEqual([]);
  });
});

describe('acknowledgeSlackCommand for windows', () => {
  const responseUrl = 'https://hooks.slack.com/commands/1/2';
  const ack = (text: string, userId = 'U2147483697') => {
    const deps = {
      grants: new InMemorySlackGrants({ U2147483697: 'operator' }),
      queue: new RecordingJobQueue(),
    };
    return acknowledgeSlackCommand(deps, { text, userId, userName: 'alice', responseUrl }).then((reply) => ({
      reply,
      jobs: deps.queue.jobs,
    }));
  };

  it.each([
    ['schedule 2026-12-06T02:00:00Z 1h Upgrade', ':hourglass_flowing_sand: Scheduling the window…'],
    [`cancel ${ID}`, ':hourglass_flowing_sand: Cancelling the window…'],
    ['windows', null],
  ])('lets an operator run %j, queued with the Slack user as actor', async (text, working) => {
    const { reply, jobs } = await ack(text);

    expect(reply?.text ?? null).toBe(working);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.actor).toBe('slack:alice (U2147483697)');
  });

  it('queues the window as START and START plus DURATION', async () => {
    const { jobs } = await ack('schedule 2026-12-06T02:00:00Z 1h30m Upgrade');

    expect(jobs[0]?.command).toEqual({
      kind: 'schedule',
      startsAt: '2026-12-06T02:00:00.000Z',
      endsAt: '2026-12-06T03:30:00.000Z',
      reason: 'Upgrade',
    });
  });

  it('answers a malformed schedule with the usage, queueing nothing', async () => {
    const { reply, jobs } = await ack('schedule 2026-12-06 1h');

    expect(reply?.text).toMatch(/^`2026-12-06` is not a START/);
    expect(jobs).toEqual([]);
  });

  it('refuses an ungranted user, queueing nothing', async () => {
    const { reply, jobs } = await ack(`cancel ${ID}`, 'U0NOBODY01');

    expect(reply?.text).toMatch(/not been granted/);
    expect(jobs).toEqual([]);
  });
});
