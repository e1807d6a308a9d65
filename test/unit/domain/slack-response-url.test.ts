import { isSlackResponseUrl } from '../../../src/domain/slack-response-url';

describe('isSlackResponseUrl', () => {
  it.each([
    'https://hooks.slack.com/commands/T0001/1234/abcd',
    'https://hooks.slack-gov.com/commands/T0001/1234/abcd',
    'https://hooks.slack.com/commands/T0001/1234/abcd?x=1#y',
  ])("accepts Slack's %s", (url) => {
    expect(isSlackResponseUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://hooks.slack.com/commands/1/2'],
    ['another host', 'https://example.com/commands/1/2'],
    ['a look-alike host', 'https://hooks.slack.com.example.net/commands/1/2'],
    ['a look-alike with a hyphen', 'https://hooks.slack-com.example.net/commands/1/2'],
    ['credentials in front of another host', 'https://hooks.slack.com@example.net/commands/1/2'],
    ['no path after the host', 'https://hooks.slack.com'],
    ['upper case, which is not what Slack sends', 'HTTPS://HOOKS.SLACK.COM/commands/1/2'],
    ['a leading space', ' https://hooks.slack.com/commands/1/2'],
    ['a tab inside', 'https://hooks.slack.com/\tcommands/1/2'],
    ['a backslash, which parsers read as a slash', 'https://hooks.slack.com/\\\\example.net/x'],
    ['an empty string', ''],
    ['no string at all', undefined],
  ])('refuses %s', (_label, url) => {
    expect(isSlackResponseUrl(url)).toBe(false);
  });

  describe('with an extra prefix', () => {
    const prefix = 'http://127.0.0.1:';

    it('admits URLs under it, and still those of Slack', () => {
      expect(isSlackResponseUrl('http://127.0.0.1:4000/commands/1/2', prefix)).toBe(true);
      expect(isSlackResponseUrl('https://hooks.slack.com/commands/1/2', prefix)).toBe(true);
    });

    it.each([
      ['credentials that hide another host', 'http://127.0.0.1:80@example.net/x'],
      ['a password too', 'http://127.0.0.1:user:pass@example.net/x'],
      ['a tab the parser would drop, exposing credentials', 'http://127.0.0.1:\t@example.net/x'],
      ['a port that is not one', 'http://127.0.0.1:80.example.net/x'],
      ['another loopback address', 'http://127.0.0.2:4000/x'],
    ])('refuses %s', (_label, url) => {
      expect(isSlackResponseUrl(url, prefix)).toBe(false);
    });

    it('admits nothing more when it is empty, as the template passes it by default', () => {
      expect(isSlackResponseUrl('https://example.com/x', '')).toBe(false);
    });
  });
});
