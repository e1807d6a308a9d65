/** The origins Slack hands out response URLs on: its commercial and its GovSlack hosts, HTTPS only. */
const SLACK_PREFIXES = ['https://hooks.slack.com/', 'https://hooks.slack-gov.com/'];

// Whitespace, control characters and backslashes: URL parsers strip or reinterpret them (WHATWG drops
// tabs and newlines anywhere, reads `\` as `/`), so fetch could talk to another host than the one checked.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const UNSAFE_CHARACTER = /[\u0000-\u0020\u007f\\]/;

/**
 * Whether a slash command's `response_url` is one of Slack's, so that posting to it cannot be turned into a
 * request to anywhere else. It must start with `https://hooks.slack.com/` or `https://hooks.slack-gov.com/`,
 * or with `extraPrefix` when one is given (the local stack's fake Slack, `http://127.0.0.1:`); an empty
 * `extraPrefix` admits nothing more, since every string starts with ''. It must parse as a URL, carry no
 * user name or password (`http://127.0.0.1:80@elsewhere/` is a request to `elsewhere`), and hold no
 * character a parser could read differently. Never throws.
 *
 * @example
 * isSlackResponseUrl('https://hooks.slack.com/commands/T0001/1234/abcd'); // true
 * isSlackResponseUrl('https://hooks.slack.com.example.net/x'); // false
 * isSlackResponseUrl('http://127.0.0.1:4000/commands/1', 'http://127.0.0.1:'); // true
 */
export function isSlackResponseUrl(url: unknown, extraPrefix?: string): boolean {
  if (typeof url !== 'string' || UNSAFE_CHARACTER.test(url)) return false;
  const prefixes = extraPrefix ? [...SLACK_PREFIXES, extraPrefix] : SLACK_PREFIXES;
  if (!prefixes.some((prefix) => url.startsWith(prefix))) return false;
  try {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
