import type { ApiClient } from './api-client';
import type { Command } from './args';
import { CliError } from './errors';
import { bypassSummary, describeBypassChange } from './format';
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
function withTypedAddresses(error: CliError, operation: string, cidrs: string[]): CliError {
  const errors = error.errors.map(({ field, message }) => {
    const match = /^(add|remove)\[(\d+)\]$/.exec(field);
    const typed = match?.[1] === operation ? cidrs[Number(match[2])] : undefined;
    return { field: typed === undefined ? field : `${field} ${JSON.stringify(typed)}`, message };
  });
  return new CliError(error.message, errors);
}

/**
 * `maintenance bypass add|remove CIDR...`: POST /maintenance/bypass with the addresses exactly as typed.
 * The CLI validates none of them; the API's parser decides, and its refusal is shown entry by entry.
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
  writeLine(
    io.stdout,
    command.json ? answer.raw.trim() : describeBypassChange(answer.body, operation, cidrs),
  );
}
