import { bypassLinkUrl } from './bypass-link';
import type { MaintenanceStatus } from './maintenance-status';
import {
  BLOCK_KIT_LIMITS,
  context,
  escapeMrkdwn,
  fitList,
  fitText,
  LISTED_INLINE,
  slackMessage as message,
  type SlackMessage,
  section,
  summarise,
} from './slack-blocks';
import { formatDuration } from './values';
import type { MaintenanceWindow } from './windows';

export type { SlackMessage };

/*
 * The Block Kit replies of the slash command. Everything a user typed is escaped for Slack's mrkdwn, and
 * every message is built from slack-blocks' section, context and message, which hold it to Block Kit's
 * limits; long lists are summarised rather than cut off.
 */

/** At most this much of one listed detail (an address and its problem), so one cannot crowd out the rest. */
const DETAIL_MAX = 300;

/**
 * An address or path as inline code, escaped.
 *
 * @example
 * code('192.0.2.1/32'); // '`192.0.2.1/32`'
 */
export function code(cidr: string): string {
  return `\`${escapeMrkdwn(cidr)}\``;
}

/** @example addresses(1); // '1 address' */
export function addresses(count: number): string {
  return `${count} ${count === 1 ? 'address' : 'addresses'}`;
}

/**
 * A Slack date that each reader sees in their own time zone, with the ISO time as fallback.
 *
 * @example
 * slackDate('2026-11-23T10:00:00.000Z'); // '<!date^1795428000^{date_short_pretty} {time}|2026-11-23T10:00:00.000Z>'
 */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

/** @example duration(1800); // '30 min' */
export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function statusLine(status: MaintenanceStatus): string {
  if (!status.enabled) return '*Maintenance is OFF*: visitors reach the site.';
  const retry = status.retryAfterSeconds ? `, Retry-After ${duration(status.retryAfterSeconds)}` : '';
  return `*Maintenance is ON*: visitors get the 503 maintenance page${retry}.`;
}

function changedLine(status: MaintenanceStatus): string {
  if (!status.changedAt) return 'No change recorded yet.';
  const reason = status.reason ? ` Reason: ${escapeMrkdwn(status.reason)}` : '';
  return `Since ${slackDate(status.changedAt)}, by ${escapeMrkdwn(status.changedBy ?? 'unknown')}.${reason}`;
}

/** The link in mrkdwn: a link Slack formats nothing inside, or the path as code when the site is unknown. */
function linkText(path: string, siteUrl: string | null): string {
  const url = bypassLinkUrl(path, siteUrl);
  return url === null ? `\`${escapeMrkdwn(path)}\`` : `<${escapeMrkdwn(url)}>`;
}

/** `/maintenance status`: only the caller sees it, so it may show the bypass link while on. */
export function statusMessage(status: MaintenanceStatus): SlackMessage {
  const link = status.bypassLink
    ? [
        context(
          `:key: Bypass link (only you can see this message): ${linkText(status.bypassLink, status.siteUrl)}`,
        ),
      ]
    : [];
  return message('ephemeral', statusLine(status), [
    section(statusLine(status)),
    context(changedLine(status)),
    ...link,
  ]);
}

/** A change, announced to the channel: who, what and why. */
export function changeAnnouncement(status: MaintenanceStatus, userId: string): SlackMessage {
  const what = status.enabled
    ? ':construction: *Maintenance is ON*'
    : ':white_check_mark: *Maintenance is OFF*';
  const effect = status.enabled
    ? `Visitors get the 503 maintenance page (Retry-After ${duration(status.retryAfterSeconds ?? 0)}); bypassed addresses still reach the site.`
    : 'Visitors reach the site again.';
  const why = status.reason ? `\n>${escapeMrkdwn(status.reason)}` : '';
  const text = `${what}, turned ${status.enabled ? 'on' : 'off'} by <@${userId}>.`;
  return message('in_channel', text, [section(`${text}${why}`), context(effect)]);
}

/**
 * For whoever turned maintenance on from Slack, which cannot see the address they browse from, so nobody
 * can tell them whether they are locked out: their bypass link, for them alone. Null while there is no
 * link (maintenance off). The link stays out of the fallback text, which notifications show.
 *
 * @example
 * bypassLinkMessage(status)?.response_type // 'ephemeral'
 */
export function bypassLinkMessage(status: MaintenanceStatus): SlackMessage | null {
  if (!status.bypassLink) return null;
  const text = ':key: You may get the maintenance page too: here is your bypass link.';
  const known = bypassLinkUrl(status.bypassLink, status.siteUrl) !== null;
  const open = known ? 'open this bypass link' : "open this path on the site's address";
  const unknownSite = known
    ? ''
    : " (the stack does not know the site's address: the stage parameter `siteUrl` makes this a full link)";
  return message('ephemeral', text, [
    section(
      `:key: *You may get the maintenance page too*: Slack cannot see which address you browse from, so nobody can tell whether yours is in the bypass set. To see the site, ${open} (only you can see this message):\n${linkText(status.bypassLink, status.siteUrl)}`,
    ),
    context(
      `The link sets a cookie that lets your browser through until maintenance turns off; share it with operators only${unknownSite}. Admins can let an address through instead: \`maintenance bypass add YOUR_IP\` or \`/maintenance allow YOUR_IP\`.`,
    ),
  ]);
}

/** The switch was already where it was asked to be. */
export function alreadyMessage(status: MaintenanceStatus): SlackMessage {
  const text = `Nothing to change: ${statusLine(status)}`;
  return message('ephemeral', text, [section(text), context(changedLine(status))]);
}

/** Bypass changes, announced to the channel: `• added 200 addresses: `198.18.0.0/32`, ... and 180 more`. */
export function bypassAnnouncement(
  result: { added: string[]; removed: string[] },
  userId: string,
): SlackMessage {
  const text = `:key: <@${userId}> changed the maintenance bypass set.`;
  // At most two lists, each on its own line in half of what the section has left.
  const half = Math.floor((BLOCK_KIT_LIMITS.text - text.length) / 2);
  const lists: Array<[string, string[]]> = [
    ['added', result.added],
    ['removed', result.removed],
  ];
  const lines = lists
    .filter(([, list]) => list.length > 0)
    .map(([verb, list]) => {
      const head = `\n• ${verb} ${addresses(list.length)}: `;
      return `${head}${summarise(list.map(code), half - head.length)}`;
    });
  return message('in_channel', text, [section(`${text}${lines.join('')}`)]);
}

/** What did not change in a bypass request, for the caller only. */
export function bypassUnchangedMessage(unchanged: string[], count: number): SlackMessage {
  const total = `The bypass set holds ${addresses(count)}.`;
  if (unchanged.length === 0) return message('ephemeral', total, [section(total)]);
  const head = `Already as asked (${addresses(unchanged.length)}):`;
  const list = summarise(unchanged.map(code), BLOCK_KIT_LIMITS.text - head.length - total.length - 2);
  return message('ephemeral', `${head.slice(0, -1)}. ${total}`, [section(`${head} ${list}. ${total}`)]);
}

/** How many addresses `/maintenance bypass` lists; the CLI lists them all. */
const LISTED = 50;

/** `/maintenance bypass`: the addresses that still reach the site. */
export function bypassListMessage(listing: {
  addresses: Array<{ cidr: string }>;
  count: number;
  limit: number;
}): SlackMessage {
  if (listing.count === 0) {
    const text = 'The bypass set is empty: during maintenance nobody reaches the site.';
    return message('ephemeral', text, [section(text)]);
  }
  const text = `${addresses(listing.count)} bypass maintenance:`;
  const more = (left: number) => `\n…and ${left} more (see \`maintenance bypass list\`).`;
  const { shown } = fitList(
    listing.addresses.map((a) => escapeMrkdwn(a.cidr)),
    {
      // 7: the line break and the two fences around the list.
      budget: BLOCK_KIT_LIMITS.text - text.length - 7,
      max: LISTED,
      separator: '\n',
      reserve: more(listing.count).length,
    },
  );
  const left = listing.count - shown.length;
  return message('ephemeral', text, [
    section(`${text}\n\`\`\`${shown.join('\n')}\`\`\`${left > 0 ? more(left) : ''}`),
  ]);
}

/**
 * A refusal or failure, for the caller only; `details` are listed, as many as fit, then how many more
 * there are (200 invalid addresses: the first 20 and "… and 180 more").
 */
export function problemMessage(text: string, details: string[] = []): SlackMessage {
  const head = `:warning: ${escapeMrkdwn(text)}`;
  const more = (left: number) => `• … and ${left} more`;
  const { shown, left } = fitList(
    details.map((d) => `• ${fitText(escapeMrkdwn(d), DETAIL_MAX)}`),
    {
      budget: BLOCK_KIT_LIMITS.text - head.length - 1,
      max: LISTED_INLINE,
      separator: '\n',
      reserve: more(details.length).length + 1,
    },
  );
  const lines = [head, ...shown, ...(left > 0 ? [more(left)] : [])];
  return message('ephemeral', head, [section(lines.join('\n'))]);
}

/** Shown at once while the worker makes the change. */
export function workingMessage(what: string): SlackMessage {
  const text = `:hourglass_flowing_sand: ${escapeMrkdwn(what)}…`;
  return message('ephemeral', text, [section(text)]);
}

/** `help`, or anything the parser did not understand. */
export function usageMessage(usage: string, problem?: string): SlackMessage {
  const head = problem ? `:thinking_face: ${escapeMrkdwn(problem)}\n\n` : '';
  return message('ephemeral', problem ? escapeMrkdwn(problem) : 'How to use /maintenance', [
    section(`${head}${usage}`),
  ]);
}

/** A window's span for Slack: both ends in each reader's time zone, and its length. */
function windowSpan(window: Pick<MaintenanceWindow, 'startsAt' | 'endsAt'>): string {
  const seconds = (Date.parse(window.endsAt) - Date.parse(window.startsAt)) / 1000;
  return `from ${slackDate(window.startsAt)} to ${slackDate(window.endsAt)} (${formatDuration(seconds)})`;
}

/** A window's reason as a quote under its line, escaped and fitted; nothing when it has none. */
function quotedReason(window: Pick<MaintenanceWindow, 'reason'>): string {
  return window.reason ? `\n>${fitText(escapeMrkdwn(window.reason), DETAIL_MAX * 2)}` : '';
}

/**
 * A window planned from Slack, announced to the channel: who, when, why, and how to call it off.
 *
 * @example
 * windowScheduledAnnouncement(window, 'U024BE7LH').response_type // 'in_channel'
 */
export function windowScheduledAnnouncement(window: MaintenanceWindow, userId: string): SlackMessage {
  const text = `:calendar: <@${userId}> scheduled maintenance ${windowSpan(window)}.`;
  return message('in_channel', text, [
    section(`${text}${quotedReason(window)}`),
    context(
      `Maintenance turns on and off by itself. Window ${code(window.id)}; \`/maintenance cancel ${escapeMrkdwn(window.id)}\` calls it off.`,
    ),
  ]);
}

/** What cancelling a window did to the switch, in a sentence. */
function cancelEffect(result: { window: MaintenanceWindow; wasActive: boolean; turnedOff: boolean }): string {
  if (!result.wasActive) return 'It had not started: it never will.';
  return result.turnedOff
    ? 'It had started: maintenance is OFF again, visitors reach the site.'
    : 'Its time had begun, but maintenance was no longer its own (someone changed it since, or its start never came): maintenance stays as it is.';
}

/**
 * A cancelled window, announced to the channel; an active one's cancel says whether maintenance went off.
 *
 * @example
 * windowCancelledAnnouncement({ window, wasActive: false, turnedOff: false }, 'U024BE7LH').text
 * // ':x: <@U024BE7LH> cancelled the maintenance window from <!date^...> to <!date^...> (1h).'
 */
export function windowCancelledAnnouncement(
  result: { window: MaintenanceWindow; wasActive: boolean; turnedOff: boolean },
  userId: string,
): SlackMessage {
  const text = `:x: <@${userId}> cancelled the maintenance window ${windowSpan(result.window)}.`;
  return message('in_channel', text, [
    section(`${text}${quotedReason(result.window)}`),
    context(`${cancelEffect(result)} Window ${code(result.window.id)}.`),
  ]);
}

/** How many windows `/maintenance windows` lists; there are at most WINDOW_LIMITS.maxPending. */
const WINDOWS_LISTED = 20;

/** `/maintenance windows`: the scheduled and active windows, by start, for the caller only. */
export function windowsListMessage(windows: readonly MaintenanceWindow[]): SlackMessage {
  if (windows.length === 0) {
    const text = 'No scheduled or active windows.';
    return message('ephemeral', text, [section(text)]);
  }
  const text = `${windows.length} maintenance ${windows.length === 1 ? 'window' : 'windows'}:`;
  const more = (left: number) => `\n…and ${left} more (see \`maintenance windows\`).`;
  const lines = windows.map((w) => {
    const reason = w.reason ? `: ${fitText(escapeMrkdwn(w.reason), DETAIL_MAX)}` : '';
    return `• *${w.state}* ${windowSpan(w)}, ${code(w.id)}${reason}`;
  });
  const { shown, left } = fitList(lines, {
    budget: BLOCK_KIT_LIMITS.text - text.length - 1,
    max: WINDOWS_LISTED,
    separator: '\n',
    reserve: more(windows.length).length,
  });
  return message('ephemeral', text, [section(`${text}\n${shown.join('\n')}${left > 0 ? more(left) : ''}`)]);
}
