import type { MaintenanceStatus } from './maintenance-status';

/** A Slack message as the slash command API takes it (Block Kit blocks plus fallback text). */
export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: unknown[];
}

/**
 * The Block Kit replies of the slash command. Everything a user typed is escaped for Slack's mrkdwn
 * (`&`, `<`, `>`), so a reason can never mention @channel, link, or break the layout.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string) {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function message(responseType: SlackMessage['response_type'], text: string, blocks: unknown[]): SlackMessage {
  return { response_type: responseType, text, blocks };
}

/** A Slack date that each reader sees in their own time zone, with the ISO time as fallback. */
function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

function duration(seconds: number): string {
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

/** `/maintenance status`: only the caller sees it. */
export function statusMessage(status: MaintenanceStatus): SlackMessage {
  return message('ephemeral', statusLine(status), [
    section(statusLine(status)),
    context(changedLine(status)),
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

/** The switch was already where it was asked to be. */
export function alreadyMessage(status: MaintenanceStatus): SlackMessage {
  const text = `Nothing to change: ${statusLine(status)}`;
  return message('ephemeral', text, [section(text), context(changedLine(status))]);
}

/** Bypass changes, announced to the channel. */
export function bypassAnnouncement(
  result: { added: string[]; removed: string[] },
  userId: string,
): SlackMessage {
  const lines = [
    ...result.added.map((cidr) => `• let \`${cidr}\` through maintenance`),
    ...result.removed.map((cidr) => `• removed \`${cidr}\` from the bypass set`),
  ];
  const text = `:key: <@${userId}> changed the maintenance bypass set.`;
  return message('in_channel', text, [section(`${text}\n${lines.join('\n')}`)]);
}

/** What did not change in a bypass request, for the caller only. */
export function bypassUnchangedMessage(unchanged: string[], count: number): SlackMessage {
  const text = unchanged.length
    ? `Already as asked: ${unchanged.map((c) => `\`${c}\``).join(', ')}. The bypass set holds ${count} addresses.`
    : `The bypass set holds ${count} addresses.`;
  return message('ephemeral', text, [section(text)]);
}

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
  const shown = listing.addresses.slice(0, LISTED).map((a) => a.cidr);
  const more =
    listing.count > LISTED ? `\n…and ${listing.count - LISTED} more (see \`maintenance bypass list\`).` : '';
  const text = `${listing.count} addresses bypass maintenance:`;
  return message('ephemeral', text, [section(`${text}\n\`\`\`${shown.join('\n')}\`\`\`${more}`)]);
}

/** A refusal or failure, for the caller only; `details` are listed (e.g. invalid addresses). */
export function problemMessage(text: string, details: string[] = []): SlackMessage {
  const list = details.length ? `\n${details.map((d) => `• ${escapeMrkdwn(d)}`).join('\n')}` : '';
  return message('ephemeral', `:warning: ${escapeMrkdwn(text)}`, [
    section(`:warning: ${escapeMrkdwn(text)}${list}`),
  ]);
}

/** Shown at once while the worker makes the change. */
export function workingMessage(what: string): SlackMessage {
  return message('ephemeral', `:hourglass_flowing_sand: ${what}…`, [
    section(`:hourglass_flowing_sand: ${what}…`),
  ]);
}

/** `help`, or anything the parser did not understand. */
export function usageMessage(usage: string, problem?: string): SlackMessage {
  const head = problem ? `:thinking_face: ${escapeMrkdwn(problem)}\n\n` : '';
  return message('ephemeral', problem ? escapeMrkdwn(problem) : 'How to use /maintenance', [
    section(`${head}${usage}`),
  ]);
}
