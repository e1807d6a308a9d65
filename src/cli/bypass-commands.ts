import type { ApiClient } from './api-client';
import type { Command } from './args';
import { CliError } from './errors';
import { bypassSummary, bypassWarningLines, describeBypassChange, typedAt } from './format';
import { type Io, writeLine } from './io';

/**
 * `maintenance bypass list`: GET /maintenance/bypass. The addresses go to stdout alone, one a line, so
 * the output pipes into grep, wc or `xargs maintenance bypass remove`; the summary goes to stderr.
 */
export async function listBypassCommand(api: ApiClient, command: { json: boolean }, io: Io): Promise<void> {
  const { body, raw } = await api.listBypass();
  if (command.json) {
    writeLine(io.stdout, raw.trim());
    return;
  }
  for (const { cidr } of body.addresses) writeLine(io.stdout, cidr);
  writeLine(io.stderr, bypassSummary(body));
}

/**
 * Names the address behind each `add[i]`/`remove[i]` of a refusal, since the user typed a list and the
 * API counts from 0.
 */
function withTypedAddresses(error: CliError, operation: 'add' | 'remove', cidrs: string[]): CliError {
  const errors = error.errors.map(({ field, message }) => {
    const typed = typedAt(field, operation, cidrs);
    return { field: typed === undefined ? field : `${field} ${JSON.stringify(typed)}`, message };
  });
  return new CliError(error.message, errors);
}

/**
 * `maintenance bypass add|remove CIDR...`: POST /maintenance/bypass with the addresses exactly as typed.
 * The CLI validates none of them; the API's parser decides, and its refusal is shown entry by entry.
 * Warnings (additions that can never match) go to stderr, so stdout stays the report of the change;
 * with `--json` they are in the body on stdout and stderr stays quiet, as for every `--json` answer.
 */
export async function changeBypassCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'bypass-change' }>,
  io: Io,
): Promise<void> {
  const { operation, cidrs } = command;
  let answer: Awaited<ReturnType<ApiClient['changeBypass']>>;
  try {
    answer = await api.changeBypass(operation === 'add' ? { add: cidrs } : { remove: cidrs });
  } catch (error) {
    throw error instanceof CliError && error.errors.length > 0
      ? withTypedAddresses(error, operation, cidrs)
      : error;
  }
  if (command.json) {
    writeLine(io.stdout, answer.raw.trim());
    return;
  }
  writeLine(io.stdout, describeBypassChange(answer.body, operation, cidrs));
  for (const line of bypassWarningLines(answer.body, operation, cidrs)) writeLine(io.stderr, line);
}
