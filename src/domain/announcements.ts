import { type Entry, type Json, listOf } from './history';
import type { MaintenanceStatus } from './maintenance-status';
import { BLOCK_KIT_LIMITS, context, escapeMrkdwn, fitText, section, summarise } from './slack-blocks';
import { addresses, code, duration, slackDate } from './slack-messages';
import { isSlackUserId } from './slack-user';

/**
 * The channel's announcement of one history entry, as an incoming webhook takes it: who, what and why,
 * in the wording of the slash command's own announcements (slack-messages.ts). Everything from the entry
 * is escaped, and every text is fitted to Block Kit's limits, lists summarised rather than cut off.
 */
export interface Announcement {
  text: string;
  blocks: unknown[];
}

/** At most this much of a name, so a long token name cannot crowd out what was done. */
const ACTOR_MAX = 200;

/**
 * Who made the change, in mrkdwn: a Slack user as a mention (`slack:alice (U1)` → `<@U1>`), a window by
 * its id, anyone else (a token's name) as written, escaped.
 */
function who(actor: string): string {
  const slack = /^slack:.* \(([^()]*)\)$/.exec(actor);
  if (slack && isSlackUserId(slack[1])) return `<@${slack[1]}>`;
  if (actor.startsWith('window:')) return `the window ${code(fitText(actor.slice(7), ACTOR_MAX))}`;
  return fitText(escapeMrkdwn(actor), ACTOR_MAX);
}

const text = (value: Json | undefined) => (typeof value === 'string' && value !== '' ? value : null);
const seconds = (value: Json | undefined) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

/** When, and the entry's id, as GET /maintenance/history shows it. */
function when(entry: Entry): unknown {
  return context(`${slackDate(entry.at)} · history entry ${code(fitText(entry.id, ACTOR_MAX))}`);
}

function toggle(entry: Entry, on: boolean): Announcement {
  const by = who(entry.actor);
  const reason = text(entry.details.reason);
  const retry = seconds(entry.details.retryAfterSeconds);
  const emoji = on ? ':construction:' : ':white_check_mark:';
  const state = `Maintenance is ${on ? 'ON' : 'OFF'}`;
  const why = reason ? `: ${escapeMrkdwn(reason)}` : '';
  const retryAfter = on && retry ? ` (Retry-After ${duration(retry)})` : '';
  const effect = on
    ? `Visitors get the 503 maintenance page${retry ? ` (Retry-After ${duration(retry)})` : ''}; bypassed addresses still reach the site.`
    : 'Visitors reach the site again.';
  const head = `${emoji} *${state}*, turned ${on ? 'on' : 'off'} by ${by}.`;
  return {
    text: fitText(`${emoji} ${state}, by ${by}${why}${retryAfter}`, BLOCK_KIT_LIMITS.fallback),
    blocks: [section(`${head}${reason ? `\n>${escapeMrkdwn(reason)}` : ''}`), context(effect), when(entry)],
  };
}

/**
 * A change to a list (bypass addresses, exempt paths): `• added 200 addresses: `a`, `b` ... and 180 more`,
 * each list on its own line in half of what the section has left after `head`.
 */
function listChange(entry: Entry, head: string, noun: (count: number) => string): Announcement {
  const half = Math.floor((BLOCK_KIT_LIMITS.text - head.length) / 2);
  const changes = (['added', 'removed'] as const)
    .map((verb) => ({ verb, ...listOf(entry.details, verb) }))
    .filter(({ count }) => count > 0);
  const lines = changes.map(({ verb, items, count }) => {
    const lead = `\n• ${verb} ${noun(count)}: `;
    return `${lead}${summarise(items.map(code), half - lead.length, undefined, count)}`;
  });
  const counts = changes.map(({ verb, count }) => `${verb} ${noun(count)}`).join(', ');
  const fallback = counts ? `${head.slice(0, -1)}: ${counts}.` : head;
  return {
    text: fitText(fallback, BLOCK_KIT_LIMITS.fallback),
    blocks: [section(`${head}${lines.join('')}`), when(entry)],
  };
}

const paths = (count: number) => `${count} ${count === 1 ? 'path' : 'paths'}`;

/**
 * The announcement of a change, for the Slack webhook.
 *
 * @example
 * announcement({ id: 'c1', at: '2026-12-01T10:00:00.000Z', actor: 'deploy-bot', action: 'maintenance.on',
 *   details: { reason: 'Database upgrade', retryAfterSeconds: 1800 } }).text;
 * // ':construction: Maintenance is ON, by deploy-bot: Database upgrade (Retry-After 30 min)'
 */
export function announcement(entry: Entry): Announcement {
  switch (entry.action) {
    case 'maintenance.on':
      return toggle(entry, true);
    case 'maintenance.off':
      return toggle(entry, false);
    case 'bypass.update':
      return listChange(entry, `:key: ${who(entry.actor)} changed the maintenance bypass set.`, addresses);
    case 'exemptions.update':
      return listChange(
        entry,
        `:signpost: ${who(entry.actor)} changed the paths exempt from maintenance.`,
        paths,
      );
    case 'window.create':
    case 'window.cancel':
    case 'window.end':
      return windowChange(entry);
  }
}

const instant = (value: Json | undefined) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? slackDate(value) : 'an unknown time';

/** A window planned, cancelled, or ended without changing anything; its times in each reader's own zone. */
function windowChange(entry: Entry): Announcement {
  const d = entry.details;
  const id = code(fitText(text(d.windowId) ?? '?', ACTOR_MAX));
  const span = `from ${instant(d.startsAt)} to ${instant(d.endsAt)}`;
  const reason = text(d.reason);
  const quote = reason ? `\n>${escapeMrkdwn(reason)}` : '';
  let head: string;
  if (entry.action === 'window.create') {
    head = `:calendar: ${who(entry.actor)} scheduled maintenance window ${id}, ${span}.`;
  } else if (entry.action === 'window.cancel') {
    const now =
      d.wasActive === true
        ? d.turnedOff === true
          ? ' It ended now: maintenance is OFF.'
          : ' It ended now; maintenance was no longer its own, and is left as it is.'
        : '';
    head = `:x: ${who(entry.actor)} cancelled maintenance window ${id} (${span}).${now}`;
  } else if (d.outcome === 'missed') {
    head = `:warning: Maintenance window ${id} (${span}) ended without starting: its start came too late. Nothing was changed.`;
  } else {
    const holder = text(d.changedBy);
    head = `:warning: Maintenance window ${id} ended, but ${holder ? who(holder) : 'someone'} had taken over maintenance since, so it is left as it is.`;
  }
  const plain = head.replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1');
  return {
    text: fitText(plain, BLOCK_KIT_LIMITS.fallback),
    blocks: [section(`${head}${quote}`), when(entry)],
  };
}

/**
 * A span of time in words, to the minute (to the second under one): `1 h 20 min`, `45 min`, `40 s`.
 *
 * @example
 * elapsed(4_800_000) // '1 h 20 min'
 */
export function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/**
 * The reminder while maintenance is on past its expected end (its window's end, or the change time plus
 * Retry-After): "Maintenance has been ON for 1 h 20 min, 20 min past its expected end".
 */
export function reminderAnnouncement(
  status: Pick<MaintenanceStatus, 'changedAt' | 'changedBy' | 'reason' | 'endsAt' | 'retryAfterSeconds'>,
  now: Date,
): Announcement {
  const since = status.changedAt ? Date.parse(status.changedAt) : now.getTime();
  const end = status.endsAt ? Date.parse(status.endsAt) : since + (status.retryAfterSeconds ?? 0) * 1000;
  const facts = `on for ${elapsed(now.getTime() - since)}, ${elapsed(now.getTime() - end)} past its expected end`;
  const by = status.changedBy ? ` Turned on by ${who(status.changedBy)}.` : '';
  const reason = status.reason ? `\n>${escapeMrkdwn(status.reason)}` : '';
  return {
    text: fitText(`:alarm_clock: Maintenance is still ON: ${facts}`, BLOCK_KIT_LIMITS.fallback),
    blocks: [
      section(`:alarm_clock: *Maintenance is still ON*: ${facts}.${by}${reason}`),
      context(
        'Turn it off with `/maintenance off` or `maintenance off`, or extend it with a new Retry-After.',
      ),
    ],
  };
}
