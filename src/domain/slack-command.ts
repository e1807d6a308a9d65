import {
  DEFAULT_RETRY_AFTER_SECONDS,
  MAX_REASON_LENGTH,
  MAX_RETRY_AFTER_SECONDS,
} from './maintenance-status';

/** What a `/maintenance ...` slash command asks for, or why it could not be understood. */
export type SlackCommand =
  | { kind: 'status' }
  | { kind: 'on'; retryAfterSeconds?: number; reason?: string }
  | { kind: 'off'; reason?: string }
  | { kind: 'allow'; addresses: string[] }
  | { kind: 'deny'; addresses: string[] }
  | { kind: 'bypass' }
  | { kind: 'help' }
  | { kind: 'usage'; problem: string };

/**
 * The command reference, in Slack mrkdwn; shown for `help` and after every usage problem.
 * No `<` or `>` in it: Slack reads those as links and mentions, even inside backticks.
 */
export const SLACK_USAGE = [
  '*Usage:* `/maintenance COMMAND`',
  '• `status`: is maintenance on, since when, why',
  '• `on [DURATION] [REASON]`: serve the maintenance page',
  `    DURATION is the Retry-After, 1s to 24h, like \`90s\`, \`30m\`, \`2h\` (default ${DEFAULT_RETRY_AFTER_SECONDS}s)`,
  '• `off [REASON]`: serve the site again',
  '• `bypass`: list the addresses that skip the maintenance page',
  '• `allow CIDR...` / `deny CIDR...`: add or remove bypass addresses (admins)',
  '• `help`: this message',
].join('\n');

const DURATION_PATTERN = /^(\d+)([smh])$/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * `90s`, `30m`, `2h` (unit case-insensitive) to seconds; null for anything else, including a bare `30`
 * or `30min`. It does not check the range: `0m` is 0 and `25h` is 90000.
 *
 * @example
 * parseDuration('30m'); // 1800
 * parseDuration('30'); // null
 */
export function parseDuration(token: string): number | null {
  const match = DURATION_PATTERN.exec(token);
  if (!match) return null;
  const [, digits = '', unit = ''] = match;
  return Number(digits) * (UNIT_SECONDS[unit.toLowerCase()] ?? Number.NaN);
}

/**
 * Parses the text after `/maintenance`. Words are separated by any run of whitespace; the first is the
 * subcommand (case-insensitive), and empty text means `help`. For `on`, the second word is the Retry-After
 * only if it is a duration with a unit (`30m`): a bare number or `30min` starts the reason instead, so
 * `on 30 minutes of work` keeps its whole sentence rather than guessing at a unit. The reason is the remaining
 * words joined by single spaces; none means no reason. Addresses are passed through as typed; the address
 * parser validates them later. Slack escapes `&`, `<`, `>` in the text; they are unescaped here, so output
 * must escape them again. Never throws: anything it does not understand becomes `{ kind: 'usage', problem }`.
 *
 * @example
 * parseSlackCommand('on 30m Database upgrade'); // { kind: 'on', retryAfterSeconds: 1800, reason: 'Database upgrade' }
 * parseSlackCommand('allow 198.51.100.0/24'); // { kind: 'allow', addresses: ['198.51.100.0/24'] }
 */
export function parseSlackCommand(text: string): SlackCommand {
  const words = typeof text === 'string' ? text.trim().split(/\s+/).filter(Boolean).map(unescapeSlack) : [];
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'help' };
  const subcommand = first.toLowerCase();

  switch (subcommand) {
    case 'status':
    case 'bypass':
    case 'help':
      return rest.length === 0 ? { kind: subcommand } : usage(`\`${subcommand}\` takes no arguments.`);
    case 'on':
      return parseOn(rest);
    case 'off': {
      const reason = rest.join(' ');
      return reasonProblem(reason) ?? { kind: 'off', ...optionalReason(reason) };
    }
    case 'allow':
    case 'deny':
      return rest.length > 0
        ? { kind: subcommand, addresses: rest }
        : usage(`\`${subcommand}\` needs at least one address or CIDR, like \`198.51.100.0/24\`.`);
    default:
      return usage(`Unknown command \`${truncate(first, 40)}\`.`);
  }
}

function parseOn(words: string[]): SlackCommand {
  const seconds = words[0] === undefined ? null : parseDuration(words[0]);
  if (seconds !== null && !(seconds >= 1 && seconds <= MAX_RETRY_AFTER_SECONDS)) {
    return usage(`The duration must be between 1s and 24h (${MAX_RETRY_AFTER_SECONDS}s).`);
  }
  const reason = (seconds === null ? words : words.slice(1)).join(' ');
  return (
    reasonProblem(reason) ?? {
      kind: 'on',
      ...(seconds !== null && { retryAfterSeconds: seconds }),
      ...optionalReason(reason),
    }
  );
}

// Counted like the HTTP API counts it (UTF-16 code units), so both front doors accept the same reasons.
function reasonProblem(reason: string): SlackCommand | undefined {
  if (reason.length <= MAX_REASON_LENGTH) return undefined;
  return usage(`The reason is ${reason.length} characters; at most ${MAX_REASON_LENGTH} are allowed.`);
}

/** No words, no key: the use case then keeps the current reason (or has none). */
function optionalReason(reason: string): { reason?: string } {
  return reason === '' ? {} : { reason };
}

// `&amp;` last, so `&amp;lt;` becomes the literal `&lt;` the user typed rather than `<`.
function unescapeSlack(word: string): string {
  return word.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function truncate(word: string, max: number): string {
  return word.length > max ? `${word.slice(0, max)}…` : word;
}

function usage(problem: string): SlackCommand {
  return { kind: 'usage', problem };
}
