import { type Entry, listOf } from '../domain/history';
import { checkReason } from '../domain/values';
import type { ApiClient, HistoryList } from './api-client';
import type { Command } from './args';
import { table } from './format';
import { type Io, writeLine } from './io';

/** How many entries of a changed list a line names before it only counts the rest. */
const LISTED = 5;

/** `\uXXXX` for a character the reason rule refuses (controls, line separators, bidi controls). */
function escapeUnprintable(text: string): string {
  return [...text]
    .map((char) =>
      checkReason(char).ok ? char : `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
    )
    .join('');
}

/**
 * Text in JSON's double quotes, with every character a terminal could act on escaped, so what the API
 * stored cannot rewrite the line it is printed on.
 *
 * @example
 * quoted('Deploy "v2"') // '"Deploy \\"v2\\""'
 */
export function quoted(text: string): string {
  return escapeUnprintable(JSON.stringify(text));
}

/**
 * Text as it is when it is printable, else quoted.
 *
 * @example
 * shown('ops-laptop') // 'ops-laptop'
 * shown('a\u001b[2Jb') // '"a\\u001b[2Jb"'
 */
export function shown(text: string): string {
  return text !== '' && escapeUnprintable(text) === text ? text : quoted(text);
}

/** `added a, b, c, d, e and 3 more`, or nothing for an empty list; `count` may exceed the items an entry names. */
function listed(verb: string, { items, count }: { items: string[]; count: number }): string[] {
  if (count === 0) return [];
  const named = items.slice(0, LISTED);
  const more = count > named.length ? ` and ${count - named.length} more` : '';
  return [`${verb} ${named.map(shown).join(', ')}${more}`];
}

function reasonOf(details: Entry['details']): string | null {
  return typeof details.reason === 'string' ? `reason ${quoted(details.reason)}` : null;
}

/**
 * What an entry's details say, in a few words: the reason and Retry-After of a toggle, what a change
 * added and removed. Details it does not know are left out; the entry in `--json` has them all.
 *
 * @example
 * describeDetails({ ...entry, action: 'maintenance.on', details: { reason: 'Deploy', retryAfterSeconds: 600 } })
 * // 'reason "Deploy"; Retry-After 600 s'
 * describeDetails({ ...entry, action: 'bypass.update', details: { added: ['192.0.2.0/24'], removed: [] } })
 * // 'added 192.0.2.0/24'
 */
export function describeDetails(entry: Entry): string {
  const { details } = entry;
  switch (entry.action) {
    case 'maintenance.on':
      return [
        reasonOf(details) ?? 'no reason',
        ...retryAfterOf(details),
        ...textOf(details, 'endsAt', 'until'),
        ...textOf(details, 'windowId', 'window'),
      ].join('; ');
    case 'maintenance.off':
      return reasonOf(details) ?? '';
    case 'bypass.update':
    case 'exemptions.update': {
      const parts = [
        ...listed('added', listOf(details, 'added')),
        ...listed('removed', listOf(details, 'removed')),
      ];
      return parts.length > 0 ? parts.join('; ') : 'nothing added or removed';
    }
    case 'window.create':
      return describeWindowEntry(details).join('; ');
    case 'window.cancel':
      return [...describeWindowEntry(details), cancelOutcome(details)].join('; ');
    case 'window.end':
      return [...describeWindowEntry(details), endOutcome(details)].join('; ');
  }
}

/** `Retry-After 600 s`, when the details have a number for it. */
function retryAfterOf(details: Entry['details']): string[] {
  const value = details.retryAfterSeconds;
  return typeof value === 'number' ? [`Retry-After ${value} s`] : [];
}

/** `<label> <value>` for a text detail, shown safely; nothing when it is not text. */
function textOf(details: Entry['details'], key: string, label: string): string[] {
  const value = details[key];
  return typeof value === 'string' ? [`${label} ${shown(value)}`] : [];
}

/** A window's entry: `window <id> <startsAt> to <endsAt>; reason "..."; Retry-After 600 s`. */
function describeWindowEntry(details: Entry['details']): string[] {
  const id = typeof details.windowId === 'string' ? `window ${shown(details.windowId)}` : 'window';
  const { startsAt, endsAt } = details;
  const times = typeof startsAt === 'string' && typeof endsAt === 'string';
  return [
    times ? `${id} ${shown(startsAt)} to ${shown(endsAt)}` : id,
    ...(reasonOf(details) === null ? [] : [reasonOf(details) as string]),
    ...retryAfterOf(details),
  ];
}

/** What cancelling did: a scheduled window never starts; an active one turned maintenance off, or found it taken over. */
function cancelOutcome(details: Entry['details']): string {
  if (details.wasActive !== true) return 'was scheduled';
  return details.turnedOff === true
    ? 'was active: turned maintenance off'
    : 'was active: left maintenance alone (taken over)';
}

/** Why a window's end changed nothing: its start never came in time, or someone had taken over. */
function endOutcome(details: Entry['details']): string {
  if (details.outcome === 'missed') return 'missed: its start never came in time, nothing to turn off';
  const by = typeof details.changedBy === 'string' ? ` by ${shown(details.changedBy)}` : '';
  return `left maintenance alone: taken over${by}`;
}

/**
 * The entries of a page as aligned columns, one a line, in the API's order (newest first): time as the
 * API gives it, action, actor, what changed.
 *
 * @example
 * historyLines([entry]) // ['2026-03-01T10:00:00.000Z  maintenance.on  ops-laptop  reason "Deploy"; Retry-After 600 s']
 */
export function historyLines(entries: readonly Entry[]): string[] {
  if (entries.length === 0) return [];
  return table(
    entries.map((entry) => [shown(entry.at), entry.action, shown(entry.actor), describeDetails(entry)]),
  ).split('\n');
}

/** The cursor as one shell word: as it is when URL-safe (as the API's are), else single-quoted. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_-]+$/.test(text) ? text : escapeUnprintable(`'${text.replaceAll("'", `'\\''`)}'`);
}

/**
 * What stderr says after a page: the command for the next one, with the same --limit; on an empty page,
 * that there is nothing (older) to show.
 *
 * @example
 * historyNotes({ entries: [entry], nextCursor: 'abc' }, { limit: 5 }) // ['maintenance: more: maintenance history --cursor abc --limit 5']
 */
export function historyNotes(page: HistoryList, asked: { limit?: number; cursor?: string }): string[] {
  const notes: string[] = [];
  if (page.entries.length === 0) {
    notes.push(
      asked.cursor === undefined
        ? 'maintenance: the history is empty'
        : 'maintenance: no entries older than this cursor',
    );
  }
  if (page.nextCursor !== null) {
    const limit = asked.limit === undefined ? '' : ` --limit ${asked.limit}`;
    notes.push(`maintenance: more: maintenance history --cursor ${shellWord(page.nextCursor)}${limit}`);
  }
  return notes;
}

/**
 * `maintenance history [--limit N] [--cursor CURSOR]`: GET /maintenance/history. The entries go to stdout,
 * one a line, so the output pipes into grep; how to get the next page goes to stderr. `--json` prints the
 * page as received, and nothing else.
 *
 * @example
 * await historyCommand(api, { kind: 'history', json: false, limit: 1 }, io)
 * // stdout '2026-03-01T10:00:00.000Z  maintenance.off  ops-laptop\n'
 * // stderr 'maintenance: more: maintenance history --cursor WyIy... --limit 1\n'
 */
export async function historyCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'history' }>,
  io: Io,
): Promise<void> {
  const asked = {
    ...(command.limit === undefined ? {} : { limit: command.limit }),
    ...(command.cursor === undefined ? {} : { cursor: command.cursor }),
  };
  const { body, raw } = await api.listHistory(asked);
  if (command.json) {
    writeLine(io.stdout, raw.trim());
    return;
  }
  for (const line of historyLines(body.entries)) writeLine(io.stdout, line);
  for (const note of historyNotes(body, asked)) writeLine(io.stderr, note);
}
