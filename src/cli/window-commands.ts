import { formatDuration } from '../domain/values';
import type { ApiAnswer, ApiClient, Window, WindowList } from './api-client';
import type { Command } from './args';
import { table } from './format';
import { quoted, shown } from './history-commands';
import { type Io, writeLine } from './io';

/** What `maintenance windows` prints when the API lists none. */
export const NO_WINDOWS = 'No scheduled or active windows.';

/** A window's span: `2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h)`. */
function span(window: Window): string {
  const seconds = (Date.parse(window.endsAt) - Date.parse(window.startsAt)) / 1000;
  const length = Number.isFinite(seconds) ? ` (${formatDuration(seconds)})` : '';
  return `${shown(window.startsAt)} to ${shown(window.endsAt)}${length}`;
}

/**
 * One line about a window, led by what happened to it ("Scheduled", "Cancelled"): its id, its span, its
 * reason and Retry-After when it has them. What the API stored is printed as safely as the history prints it.
 *
 * @example
 * describeWindow(window, 'Scheduled')
 * // 'Scheduled window 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed: 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h); reason "Database upgrade"; Retry-After 600 s'
 */
export function describeWindow(window: Window, lead: string): string {
  const parts = [`${lead} window ${shown(window.id)}: ${span(window)}`];
  if (window.reason !== null) parts.push(`reason ${quoted(window.reason)}`);
  if (window.retryAfterSeconds !== null) parts.push(`Retry-After ${window.retryAfterSeconds} s`);
  return parts.join('; ');
}

/**
 * The windows as aligned columns under a header, in the API's order (by start): id, start, end, state,
 * reason (`-` for none); or NO_WINDOWS.
 *
 * @example
 * windowLines([window])
 * // ['ID                                    STARTS                    ENDS                      STATE      REASON',
 * //  '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed  2026-12-06T02:00:00.000Z  2026-12-06T03:00:00.000Z  scheduled  Database upgrade']
 */
export function windowLines(windows: readonly Window[]): string[] {
  if (windows.length === 0) return [NO_WINDOWS];
  return table([
    ['ID', 'STARTS', 'ENDS', 'STATE', 'REASON'],
    ...windows.map((w) => [
      shown(w.id),
      shown(w.startsAt),
      shown(w.endsAt),
      w.state,
      w.reason === null ? '-' : shown(w.reason),
    ]),
  ]).split('\n');
}

/** `--json`: the answer's text as received, alone on stdout; otherwise its lines. */
function print<T>(answer: ApiAnswer<T>, json: boolean, io: Io, lines: (body: T) => string[]): void {
  if (json) {
    writeLine(io.stdout, answer.raw.trim());
    return;
  }
  for (const line of lines(answer.body)) writeLine(io.stdout, line);
}

/**
 * `maintenance schedule --start --end [--reason] [--retry-after]`: POST /maintenance/windows with the
 * moments as typed (the CLI has only checked that they are RFC 3339 with an offset); the API holds them to
 * the window rules (in the future, within a year, at most 7 days long, no overlap) and names each bad one.
 *
 * @example
 * await scheduleCommand(api, { kind: 'schedule', json: false, startsAt: '2026-12-06T02:00:00Z', endsAt: '2026-12-06T03:00:00Z' }, io)
 * // stdout 'Scheduled window 1b9d...: 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h)\n'
 */
export async function scheduleCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'schedule' }>,
  io: Io,
): Promise<void> {
  const answer = await api.createWindow({
    startsAt: command.startsAt,
    endsAt: command.endsAt,
    ...(command.reason === undefined ? {} : { reason: command.reason }),
    ...(command.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: command.retryAfterSeconds }),
  });
  print(answer, command.json, io, (window) => [describeWindow(window, 'Scheduled')]);
}

/**
 * `maintenance windows`: GET /maintenance/windows, one window a line under a header, by start.
 *
 * @example
 * await listWindowsCommand(api, { json: false }, io) // stdout 'No scheduled or active windows.\n' when there are none
 */
export async function listWindowsCommand(api: ApiClient, command: { json: boolean }, io: Io): Promise<void> {
  print(await api.listWindows(), command.json, io, (list: WindowList) => windowLines(list.windows));
}

/**
 * `maintenance cancel ID`: DELETE /maintenance/windows/{id}. A scheduled window never starts; an active one
 * ends now (the API turns maintenance off unless someone took it over). An unknown id is the API's 404.
 *
 * @example
 * await cancelWindowCommand(api, { kind: 'cancel', json: false, id: '1b9d...' }, io)
 * // stdout 'Cancelled window 1b9d...: 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h)\n'
 */
export async function cancelWindowCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'cancel' }>,
  io: Io,
): Promise<void> {
  print(await api.cancelWindow(command.id), command.json, io, (window) => [
    describeWindow(window, 'Cancelled'),
  ]);
}
