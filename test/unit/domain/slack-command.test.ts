import {
  parseDuration,
  parseSlackCommand,
  SLACK_USAGE,
  type SlackCommand,
} from '../../../src/domain/slack-command';

const usage = (problem: RegExp) => ({ kind: 'usage', problem: expect.stringMatching(problem) });

describe('parseSlackCommand', () => {
  it.each<[string, SlackCommand]>([
    // on
    ['on 30m Database upgrade', { kind: 'on', retryAfterSeconds: 1800, reason: 'Database upgrade' }],
    ['on', { kind: 'on' }],
    ['ON 2h', { kind: 'on', retryAfterSeconds: 7200 }],
    ['On 2H', { kind: 'on', retryAfterSeconds: 7200 }],
    ['on 90s', { kind: 'on', retryAfterSeconds: 90 }],
    ['on 1s', { kind: 'on', retryAfterSeconds: 1 }],
    ['on 24h', { kind: 'on', retryAfterSeconds: 86_400 }],
    ['on 86400s', { kind: 'on', retryAfterSeconds: 86_400 }],
    ['on Database upgrade', { kind: 'on', reason: 'Database upgrade' }],
    ['on 30 minutes of work', { kind: 'on', reason: '30 minutes of work' }],
    ['on 30min of work', { kind: 'on', reason: '30min of work' }],
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
    ['on 0m', /between 1s and 24h/],
    ['on 0s', /between 1s and 24h/],
    ['on 25h', /between 1s and 24h/],
    ['on 86401s', /between 1s and 24h/],
    ['on 90000s Database upgrade', /between 1s and 24h/],
    ['on 99999999999999999999999h', /between 1s and 24h/],
    [`on 30m ${'x'.repeat(501)}`, /reason is 501 characters; at most 500/],
    [`off ${'x'.repeat(501)}`, /reason is 501 characters; at most 500/],
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

  it('never throws, even on a lone surrogate or a missing text', () => {
    expect(parseSlackCommand('on \uD800')).toStrictEqual({ kind: 'on', reason: '\uD800' });
    expect(parseSlackCommand(undefined as unknown as string)).toStrictEqual({ kind: 'help' });
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['2H', 7200],
    ['30M', 1800],
    ['1s', 1],
    ['0m', 0],
    ['25h', 90_000],
    ['007m', 420],
  ])('reads %j as %d seconds', (token, seconds) => {
    expect(parseDuration(token)).toBe(seconds);
  });

  it.each([
    '',
    '30',
    '30min',
    '30 m',
    ' 30m',
    '30m ',
    'm',
    '1.5h',
    '-5m',
    '+5m',
    '1e3s',
    '5d',
    '5ms',
    '1h30m',
    '３０m',
  ])('returns null for %j', (token) => {
    expect(parseDuration(token)).toBeNull();
  });
});

describe('SLACK_USAGE', () => {
  it('names every subcommand', () => {
    for (const subcommand of ['status', 'on', 'off', 'bypass', 'allow', 'deny', 'help']) {
      expect(SLACK_USAGE).toContain(`\`${subcommand}`);
    }
  });

  it('stays free of the characters Slack would read as markup', () => {
    expect(SLACK_USAGE).not.toMatch(/[<>&]/);
  });
});
