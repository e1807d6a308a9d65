import { DEFAULT_RETRY_AFTER_SECONDS, MAX_REASON_LENGTH } from './maintenance-status';
import {
  checkDuration,
  checkInstant,
  checkReason,
  checkRetryAfter,
  formatDuration,
  parseDurationText,
} from './values';
import { WINDOW_LIMITS } from './windows';

/** What a `/maintenance ...` slash command asks for, or why it could not be understood. */
export type SlackCommand =
  | { kind: 'status' }
  | { kind: 'on'; retryAfterSeconds?: number; reason?: string }
  | { kind: 'off'; reason?: string }
  | { kind: 'allow'; addresses: string[] }
  | { kind: 'deny'; addresses: string[] }
  | { kind: 'bypass' }
  /** A window: START as typed, and START plus DURATION; both RFC 3339 in UTC. */
  | { kind: 'schedule'; startsAt: string; endsAt: string; reason?: string }
  | { kind: 'windows' }
  | { kind: 'cancel'; id: string }
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
  `    DURATION is the Retry-After, like \`90s\`, \`30m\`, \`2h\` or \`1h30m\`, from 1s to 24h (default ${DEFAULT_RETRY_AFTER_SECONDS}s);`,
  '    a first word that starts with a number and a letter (`5min`, `1.5h`) must be a valid DURATION',
  `    REASON is the rest: one line, up to ${MAX_REASON_LENGTH} characters`,
  '• `off [REASON]`: serve the site again',
  '• `schedule START DURATION [REASON]`: maintenance on at START, and off DURATION later, by itself',
  '    START is RFC 3339 with an offset, like `2026-12-06T02:00:00Z`;',
  `    DURATION is the window's length, like \`45m\`, \`1h\`, \`1h30m\`, from 1s to ${formatDuration(WINDOW_LIMITS.maxLengthMs / 1000)}`,
  '• `windows`: list the scheduled and active windows',
  '• `cancel ID`: cancel a window; an active one ends now',
  '• `bypass`: list the addresses that skip the maintenance page',
  '• `allow CIDR...` / `deny CIDR...`: add or remove bypass addresses (admins)',
  '• `help`: this message',
].join('\n');

/**
 * What reads as an attempt at a duration: a number (signed or not, with a decimal point or an exponent or
 * not) that goes straight on with a letter: `30m`, `-5m`, `+5m`, `1.5h`, `1e3s`, `5min`, `10sec`, `1h30m`.
 * Such a first word is a duration or a usage problem, never the start of a reason, so a mistyped
 * Retry-After cannot silently become the reason. A bare number (`30`, `-5`, `1e3`) is not one: the
 * lookahead keeps the `e` of an exponent from counting as the letter.
 */
const DURATION_LIKE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?(?!e[+-]?\d)[a-z]/i;
/**
 * Parses the text after `/maintenance`. Words are separated by any run of whitespace; the first is the
 * subcommand (case-insensitive), and empty text means `help`. For `on`, a second word that looks like a
 * duration (a number going straight on with a letter) is the Retry-After and must be a valid one, 1s to 24h
 * (the one duration rule, src/domain/values/duration.ts); a bare number starts the reason instead, so `on 30 minutes of work` keeps its
 * whole sentence rather than guessing at a unit. The reason is the remaining words joined by single spaces,
 * checked with the API's rule; none means no reason. Addresses are passed through as typed; the address
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
    case 'windows':
    case 'help':
      return rest.length === 0 ? { kind: subcommand } : usage(`\`${subcommand}\` takes no arguments.`);
    case 'on':
      return parseOn(rest);
    case 'off':
      return withReason({ kind: 'off' }, rest);
    case 'schedule':
      return parseSchedule(rest);
    case 'cancel':
      return rest.length === 1 && rest[0] !== undefined
        ? { kind: 'cancel', id: rest[0] }
        : usage('`cancel` needs one window ID, as `/maintenance windows` lists it.');
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
  const [first = '', ...rest] = words;
  if (!DURATION_LIKE.test(first)) return withReason({ kind: 'on' }, words);
  const seconds = parseDurationText(first);
  if (seconds === null) {
    return usage(
      `\`${truncate(first, 40)}\` is not a duration: use one like \`90s\`, \`30m\`, \`2h\` or \`1h30m\`.`,
    );
  }
  const range = checkRetryAfter(seconds);
  if (!range.ok)
    return usage(`\`${truncate(first, 40)}\` is out of range: the Retry-After ${range.message} (1s to 24h).`);
  return withReason({ kind: 'on', retryAfterSeconds: range.value }, rest);
}

/**
 * `schedule START DURATION [REASON]`: START by the API's moment rule, DURATION by the one duration rule
 * (the CLI's `--for`), at most a window's length. Whether START is in the future is the use case's to
 * judge, by its clock, as for the HTTP API.
 */
function parseSchedule(words: string[]): SlackCommand {
  const [start, length, ...rest] = words;
  if (start === undefined || length === undefined) {
    return usage(
      '`schedule` needs a START and a DURATION, like `schedule 2026-12-06T02:00:00Z 1h Database upgrade`.',
    );
  }
  const startsAt = checkInstant(start);
  if (!startsAt.ok) return usage(`\`${truncate(start, 40)}\` is not a START: it ${startsAt.message}.`);
  const seconds = checkDuration(length, WINDOW_LIMITS.maxLengthMs / 1000);
  if (!seconds.ok) return usage(`\`${truncate(length, 40)}\` is not a DURATION: it ${seconds.message}.`);
  const endsAt = new Date(startsAt.value.getTime() + seconds.value * 1000);
  return withReason(
    { kind: 'schedule', startsAt: startsAt.value.toISOString(), endsAt: endsAt.toISOString() },
    rest,
  );
}

/** The words become the reason, checked with the API's rule (length, one line, no control characters). */
function withReason(
  command:
    | { kind: 'on'; retryAfterSeconds?: number }
    | { kind: 'off' }
    | { kind: 'schedule'; startsAt: string; endsAt: string },
  words: string[],
): SlackCommand {
  const reason = words.join(' ');
  if (reason === '') return command;
  const check = checkReason(reason);
  return check.ok ? { ...command, reason: check.value } : usage(`The reason ${check.message}.`);
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
