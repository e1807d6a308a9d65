import type { StatusRead } from '../api/schemas';
import { siteOrigin } from '../domain/bypass-link';
import { type Clock, systemClock } from '../ports/clock';
import { ApiClient } from './api-client';
import type { Command } from './args';
import { CliError, UsageError } from './errors';
import { bypassLinkLines, describeDoctor, describeStatus, describeToggle, lockOutWarning } from './format';
import { type Io, writeLine } from './io';

export interface ApiEnv {
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * The API client configured from MAINTENANCE_API_URL and MAINTENANCE_TOKEN; names every missing one.
 *
 * @example
 * const api = apiClientFromEnv({ env: process.env }); // throws CliError when a variable is unset
 */
export function apiClientFromEnv(deps: ApiEnv): ApiClient {
  const baseUrl = deps.env.MAINTENANCE_API_URL?.trim();
  // Tokens are often read from a file; a trailing newline is not part of them.
  const token = deps.env.MAINTENANCE_TOKEN?.trim();
  const missing = [baseUrl ? null : 'MAINTENANCE_API_URL', token ? null : 'MAINTENANCE_TOKEN'].filter(
    Boolean,
  );
  if (!baseUrl || !token) {
    throw new CliError(
      `${missing.join(' and ')} must be set: the API's URL and a bearer token (see 'maintenance token create').`,
    );
  }
  return new ApiClient({
    baseUrl,
    token,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  });
}

/** The environment as a command reads it. */
export type Env = Record<string, string | undefined>;

/**
 * The site's address from MAINTENANCE_SITE_URL, for the bypass link's full URL. It wins over the API's
 * `siteUrl`, since the stack may not know the address visitors use (attach mode, a CDN in front). Undefined
 * when unset or empty; a usage error when it is not an http(s) URL.
 *
 * @example
 * siteUrlFromEnv({ MAINTENANCE_SITE_URL: 'https://www.example.com' }) // 'https://www.example.com'
 * siteUrlFromEnv({ MAINTENANCE_SITE_URL: 'www.example.com' }) // throws UsageError naming MAINTENANCE_SITE_URL
 */
export function siteUrlFromEnv(env: Env): string | undefined {
  const value = env.MAINTENANCE_SITE_URL?.trim();
  if (!value) return undefined;
  if (siteOrigin(value) === null) {
    throw new UsageError(
      `MAINTENANCE_SITE_URL must be the site's http or https URL, like https://www.example.com (it is ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

/**
 * Prints the bypass link while there is one; says whether it did. The link goes to stdout, on its own line
 * after the status line: it is part of what the command answers (the status holds it), so a pipe or a
 * script reading stdout gets it, as `token create` puts its token there. The note on getting a full URL
 * is advice, so stderr. With `--json` neither is printed: stdout is then the API's answer alone.
 */
function printBypassLink(status: StatusRead, siteUrl: string | undefined, io: Io): boolean {
  if (!status.bypassLink) return false;
  const { line, notes } = bypassLinkLines(status.bypassLink, siteUrl ?? status.siteUrl);
  writeLine(io.stdout, line);
  for (const note of notes) writeLine(io.stderr, note);
  return true;
}

/**
 * `maintenance status`: GET /maintenance, and the bypass link while on. MAINTENANCE_SITE_URL is checked
 * before the request, so a usage error sends nothing.
 */
export async function statusCommand(
  api: ApiClient,
  command: { json: boolean },
  io: Io,
  env: Env,
): Promise<void> {
  const siteUrl = siteUrlFromEnv(env);
  const { body, raw } = await api.getStatus();
  if (command.json) {
    writeLine(io.stdout, raw.trim());
    return;
  }
  writeLine(io.stdout, describeStatus(body));
  printBypassLink(body, siteUrl, io);
}

/**
 * `maintenance doctor`: GET /maintenance with a fresh look at the edge, whose `effective` and `problems` say
 * whether turning maintenance on would really show visitors the page. Exit 1 (via CliError) when it would
 * not, so scripts can gate on it.
 */
export async function doctorCommand(api: ApiClient, command: { json: boolean }, io: Io): Promise<void> {
  const { body, raw } = await api.diagnose();
  const report = body as typeof body & { effective?: boolean; problems?: string[] };
  writeLine(io.stdout, command.json ? raw.trim() : describeDoctor(report));
  if (report.effective !== true) {
    throw new CliError(`maintenance would not be effective (${report.problems?.length ?? 0} problem(s)).`);
  }
}

/**
 * The `endsAt` of `on --until` (as typed) or `on --for` (now plus the duration, worked out here as the
 * request is sent, to the millisecond).
 *
 * @example
 * endsAtOf({ inSeconds: 2700 }, clock) // '2026-03-01T10:45:00.000Z' when the clock says 10:00
 */
export function endsAtOf(ends: { at: string } | { inSeconds: number }, clock: Clock): string {
  return 'at' in ends ? ends.at : new Date(clock.now().getTime() + ends.inSeconds * 1000).toISOString();
}

/**
 * `maintenance on|off`: POST /maintenance with only the fields the user gave; `on --until|--for` adds
 * `endsAt`, so maintenance turns off by itself then (the status says when). `on` prints the bypass link,
 * and warns on stderr when the caller's own address is outside the bypass set: the change succeeded (exit
 * 0), but its author is about to be shut out with everyone else, with `--json` too. An API that does not
 * report `caller` gets no warning, since nothing is known either way.
 */
export async function setCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'set' }>,
  io: Io,
  env: Env,
  clock: Clock = systemClock,
): Promise<void> {
  const siteUrl = command.enabled ? siteUrlFromEnv(env) : undefined;
  const { body, raw } = await api.setMaintenance({
    enabled: command.enabled,
    ...(command.reason === undefined ? {} : { reason: command.reason }),
    ...(command.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: command.retryAfterSeconds }),
    ...(command.ends === undefined ? {} : { endsAt: endsAtOf(command.ends, clock) }),
  });
  writeLine(io.stdout, command.json ? raw.trim() : describeToggle(body));
  if (!command.enabled) return;
  // With --json, stdout is the answer alone (no link line to point at); the warning still goes to stderr.
  const linkShown = !command.json && printBypassLink(body, siteUrl, io);
  if (body.caller && !body.caller.bypassed) writeLine(io.stderr, lockOutWarning(body.caller, linkShown));
}
