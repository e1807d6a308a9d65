import { ApiClient } from './api-client';
import type { Command } from './args';
import { CliError } from './errors';
import { describeDoctor, describeStatus, describeToggle } from './format';
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

/** `maintenance status`: GET /maintenance. */
export async function statusCommand(api: ApiClient, command: { json: boolean }, io: Io): Promise<void> {
  const { body, raw } = await api.getStatus();
  writeLine(io.stdout, command.json ? raw.trim() : describeStatus(body));
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

/** `maintenance on|off`: POST /maintenance with only the fields the user gave. */
export async function setCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'set' }>,
  io: Io,
): Promise<void> {
  const { body, raw } = await api.setMaintenance({
    enabled: command.enabled,
    ...(command.reason === undefined ? {} : { reason: command.reason }),
    ...(command.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: command.retryAfterSeconds }),
  });
  writeLine(io.stdout, command.json ? raw.trim() : describeToggle(body));
}
