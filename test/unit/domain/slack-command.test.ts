import { parseSlackCommand, SLACK_USAGE, type SlackCommand } from '../../../src/domain/slack-command';

const usage = (problem: RegExp) => ({ kind: 'usage', problem: expect.stringMatching(problem) });

describe('parseSlackCommand', () => {
  it.each<[string, SlackCommand]>([
    // on
    ['on 30m Database upgrade', { kind: 'on', retryAfterSeconds: 1800, reason: 'Database upgrade' }],
    ['on 1h30m Database upgrade', { kind: 'on', retryAfterSeconds: 5400, reason: 'Database upgrade' }],
    ['on', { kind: 'on' }],
    ['ON 2h', { kind: 'on', retryAfterSeconds: 7200 }],
    ['On 2H', { kind: 'on', retryAfterSeconds: 7200 }],
    ['on 90s', { kind: 'on', retryAfterSeconds: 90 }],
    ['on 1s', { kind: 'on', retryAfterSeconds: 1 }],
    ['on 24h', { kind: 'on', retryAfterSeconds: 86_400 }],
    ['on 86400s', { kind: 'on', retryAfterSeconds: 86_400 }],
    ['on Database upgrade', { kind: 'on', reason: 'Database upgrade' }],
    ['on 30 minutes of work', { kind: 'on', reason: '30 minutes of work' }],
    ['on -5 degrees outside', { kind: 'on', reason: '-5 degrees outside' }],
    ['on 1e3 is a number', { kind: 'on', reason: '1e3 is a number' }],
    ['on v2 rollout', { kind: 'on', reason: 'v2 rollout' }],
    ['on ３０m wide', { kind: 'on', reason: '３０m wide' }],
    ['on 007m', { kind: 'on', retryAfterSeconds: 420 }],
    ['on upgrade until 2h', { kind: 'on', reason: 'upgrade until 2h' }],
    ['on 30m 2h', { kind: 'on', retryAfterSeconds: 1800, reason: '2h' }],
    // off
    ['off', { kind: 'off' }],
    ['off Done now', { kind: 'off', reason: 'Done now' }],
    ['OFF 30m', { kind: 'off', reason: '30m' }],
    // bypass set
    [
      'allow 198.51.100.0/24 2001:db8::/32',
      { kind: 'allow', addresses: ['198.51.100.0/24', '2001:db8::/32'] },
    ],
    ['deny x', { kind: 'deny', addresses: ['x'] }],
    ['Deny 203.0.113.7', { kind: 'deny', addresses: ['203.0.113.7'] }],
    [
      'allow 198.51.100.0/24 198.51.100.0/24',
      { kind: 'allow', addresses: ['198.51.100.0/24', '198.51.100.0/24'] },
    ],
    // windows
    [
      'schedule 2026-12-06T02:00:00Z 1h Database upgrade',
      {
        kind: 'schedule',
        startsAt: '2026-12-06T02:00:00.000Z',
        endsAt: '2026-12-06T03:00:00.000Z',
        reason: 'Database upgrade',
      },
    ],
    [
      'Schedule 2026-12-06T03:00:00+01:00 1h30m',
      { kind: 'schedule', startsAt: '2026-12-06T02:00:00.000Z', endsAt: '2026-12-06T03:30:00.000Z' },
    ],
    [
      'schedule 2026-12-06T02:00:00Z 7d',
      { kind: 'schedule', startsAt: '2026-12-06T02:00:00.000Z', endsAt: '2026-12-13T02:00:00.000Z' },
    ],
    [
      'schedule 2026-12-06T02:00:00Z 45M R&amp;D',
      {
        kind: 'schedule',
        startsAt: '2026-12-06T02:00:00.000Z',
        endsAt: '2026-12-06T02:45:00.000Z',
        reason: 'R&D',
      },
    ],
    ['windows', { kind: 'windows' }],
    [
      'cancel 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
      { kind: 'cancel', id: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed' },
    ],
    // no arguments
    ['bypass', { kind: 'bypass' }],
    ['status', { kind: 'status' }],
    ['STATUS', { kind: 'status' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
  ])('parses %j', (text, expected) => {
    expect(parseSlackCommand(text)).toStrictEqual(expected);
  });

  it.each([
    ['on 0m', /`0m` is out of range: the Retry-After must be a whole number of seconds from 1 to 86400/],
    ['on 0s', /`0s` is out of range/],
    ['on 25h', /`25h` is out of range/],
    ['on 86401s', /`86401s` is out of range/],
    ['on 90000s Database upgrade', /`90000s` is out of range/],
    ['on 99999h', /`99999h` is out of range/],
    ['on 99999999999999999999999h', /is not a duration/],
    ['on -5m', /^`-5m` is not a duration: use one like `90s`, `30m`, `2h` or `1h30m`\.$/],
    ['on +5m', /`\+5m` is not a duration/],
    ['on 1e3s', /`1e3s` is not a duration/],
    ['on 1E3S Database upgrade', /`1E3S` is not a duration/],
    ['on 1.5h', /`1\.5h` is not a duration/],
    ['on .5h', /`\.5h` is not a duration/],
    ['on 5min', /`5min` is not a duration/],
    ['on 10sec', /`10sec` is not a duration/],
    ['on 30min of work', /`30min` is not a duration/],
    ['on 30m1h', /`30m1h` is not a duration/],
    // The price of the rule: a reason that starts like a duration must be reworded (`on Second attempt`).
    ['on 2nd attempt', /`2nd` is not a duration/],
    ['on 5d', /`5d` is out of range/],
    ['on 5ms', /`5ms` is not a duration/],
    [`on ${'9'.repeat(100)}x`, /^`9{40}…` is not a duration/],
    [`on 30m ${'x'.repeat(501)}`, /^The reason must be 1 to 500 characters\.$/],
    [`off ${'x'.repeat(501)}`, /^The reason must be 1 to 500 characters\.$/],
    [
      'on 30m Database\u0000upgrade',
      /^The reason must be one line of text without control characters \(U\+0000\)\.$/,
    ],
    ['off Done \u202Enow', /^The reason must be one line of text without control characters \(U\+202E\)\.$/],
    ['on Database\u2066upgrade', /control characters \(U\+2066\)/],
    ['off x\u007f', /control characters \(U\+007F\)/],
    ['on \uD800', /^The reason must be valid Unicode text\.$/],
    ['schedule', /^`schedule` needs a START and a DURATION, like `schedule 2026-12-06T02:00:00Z 1h/],
    ['schedule 2026-12-06T02:00:00Z', /^`schedule` needs a START and a DURATION/],
    [
      'schedule 2026-12-06T02:00:00 1h',
      /^`2026-12-06T02:00:00` is not a START: it must be an RFC 3339 date and time with an offset/,
    ],
    ['schedule tomorrow 1h', /^`tomorrow` is not a START/],
    [
      'schedule 2026-12-06T02:00:00Z 8d',
      /^`8d` is not a DURATION: it must be a duration like 45m, 2h or 1h30m, from 1s to 7d\.$/,
    ],
    ['schedule 2026-12-06T02:00:00Z 0m', /^`0m` is not a DURATION/],
    ['schedule 2026-12-06T02:00:00Z 60 minutes', /^`60` is not a DURATION/],
    [`schedule 2026-12-06T02:00:00Z 1h ${'x'.repeat(501)}`, /^The reason must be 1 to 500 characters\.$/],
    ['windows all', /`windows` takes no arguments/],
    ['cancel', /^`cancel` needs one window ID, as `\/maintenance windows` lists it\.$/],
    ['cancel a b', /^`cancel` needs one window ID/],
    ['allow', /`allow` needs at least one address/],
    ['deny', /`deny` needs at least one address/],
    ['bypass extra', /`bypass` takes no arguments/],
    ['status now', /`status` takes no arguments/],
    ['help me', /`help` takes no arguments/],
    ['frobnicate', /Unknown command `frobnicate`/],
    ['frobnicate on', /Unknown command `frobnicate`/],
    ['bypass-list', /Unknown command `bypass-list`/],
  ])('explains what is wrong with %j', (text, problem) => {
    expect(parseSlackCommand(text)).toEqual(usage(problem));
  });

  it('accepts a reason of exactly 500 characters', () => {
    const reason = 'x'.repeat(500);
    expect(parseSlackCommand(`on 30m ${reason}`)).toStrictEqual({
      kind: 'on',
      retryAfterSeconds: 1800,
      reason,
    });
  });

  it('counts the 500 characters after joining the words with single spaces', () => {
    const words = Array.from({ length: 250 }, () => 'x').join('\t\t\t');
    // 250 words and 249 single spaces: 499 characters, although the text typed was longer.
    expect(parseSlackCommand(`off ${words}`)).toStrictEqual({
      kind: 'off',
      reason: 'x '.repeat(249).concat('x'),
    });
  });

  it('splits on any run of whitespace and joins the reason with single spaces', () => {
    const text = '\n\t on \t 30m   Database\t\tupgrade\n\nthen reindex \r\n';
    expect(parseSlackCommand(text)).toStrictEqual({
      kind: 'on',
      retryAfterSeconds: 1800,
      reason: 'Database upgrade then reindex',
    });
  });

  it('splits addresses on any run of whitespace too', () => {
    expect(parseSlackCommand('allow\t198.51.100.0/24\n\n2001:db8::/32 ')).toStrictEqual({
      kind: 'allow',
      addresses: ['198.51.100.0/24', '2001:db8::/32'],
    });
  });

  it("unescapes Slack's &amp; &lt; &gt; in the reason, to be escaped again on output", () => {
    expect(parseSlackCommand('on 30m &lt;script&gt;alert(1)&lt;/script&gt; R&amp;D')).toStrictEqual({
      kind: 'on',
      retryAfterSeconds: 1800,
      reason: '<script>alert(1)</script> R&D',
    });
  });

  it('unescapes each entity once: &amp;lt; is the literal text &lt; the user typed', () => {
    expect(parseSlackCommand('off &amp;lt; &amp;amp;')).toStrictEqual({ kind: 'off', reason: '&lt; &amp;' });
  });

  it('unescapes only those three entities', () => {
    expect(parseSlackCommand('off &quot;quoted&quot; &#39;x&#39; &nbsp;')).toStrictEqual({
      kind: 'off',
      reason: '&quot;quoted&quot; &#39;x&#39; &nbsp;',
    });
  });

  it('passes addresses through unvalidated, unescaped', () => {
    expect(parseSlackCommand('deny &lt;1.2.3.4&gt; not-an-ip 10.0.0.0/0')).toStrictEqual({
      kind: 'deny',
      addresses: ['<1.2.3.4>', 'not-an-ip', '10.0.0.0/0'],
    });
  });

  it('counts the reason length after unescaping', () => {
    const reason = '&'.repeat(500);
    expect(parseSlackCommand(`off ${'&amp;'.repeat(500)}`)).toStrictEqual({ kind: 'off', reason });
  });

  it('shortens a long unknown subcommand in the problem', () => {
    const result = parseSlackCommand('y'.repeat(1000));
    expect(result).toEqual(usage(/^Unknown command `y{40}…`\.$/));
  });

  it.each(['\u0000', '\u{1F6A7} on', '&amp;', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'treats %j as an unknown subcommand rather than a property lookup',
    (text) => {
      expect(parseSlackCommand(text)).toEqual(usage(/^Unknown command/));
    },
  );

  it('never throws, even on a missing text', () => {
    expect(parseSlackCommand(undefined as unknown as string)).toStrictEqual({ kind: 'help' });
  });

  it('keeps ordinary text in any script in the reason', () => {
    expect(parseSlackCommand('on 2h Mise à jour صيانة \u{1F6A7}')).toStrictEqual({
      kind: 'on',
      retryAfterSeconds: 7200,
      reason: 'Mise à jour صيانة \u{1F6A7}',
    });
  });
});

describe('SLACK_USAGE', () => {
  it('names every subcommand', () => {
    for (const subcommand of [
      'status',
      'on',
      'off',
      'schedule',
      'windows',
      'cancel',
      'bypass',
      'allow',
      'deny',
      'help',
    ]) {
      expect(SLACK_USAGE).toContain(`\`${subcommand}`);
    }
  });

  it('states the duration rule the parser applies', () => {
    expect(SLACK_USAGE).toContain('like `90s`, `30m`, `2h` or `1h30m`, from 1s to 24h');
    expect(SLACK_USAGE).toContain('starts with a number and a letter');
    expect(SLACK_USAGE).toContain('up to 500 characters');
  });

  it('stays free of the characters Slack would read as markup', () => {
    expect(SLACK_USAGE).not.toMatch(/[<>&]/);
  });
});
