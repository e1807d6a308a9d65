import { type Entry, type Json, listOf } from './history';
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
  }
}
