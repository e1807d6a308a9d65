import type { ApiAnswer, ApiClient, ExemptionsChange, ExemptionsList } from './api-client';
import type { Command } from './args';
import { type Io, writeLine } from './io';

function paths(count: number): string {
  return `${count} ${count === 1 ? 'path' : 'paths'}`;
}

/**
 * The summary of an exemptions listing, for stderr: stdout carries the paths alone, one a line.
 *
 * @example
 * exemptionsSummary({ paths: ['/health'], count: 1, limit: 20 }) // '1 path is exempt from maintenance (limit 20)'
 */
export function exemptionsSummary(list: ExemptionsList): string {
  const verb = list.count === 1 ? 'is' : 'are';
  return `${paths(list.count)} ${verb} exempt from maintenance (limit ${list.limit})`;
}

/**
 * What an exemptions change did to each path, one a line, then how many are exempt. Paths come back
 * exactly as typed (the API keeps them as given), so, unlike addresses, none needs its origin named.
 *
 * @example
 * describeExemptionsChange({ added: ['/health'], removed: [], unchanged: ['/api/*'], count: 2 }, 'add')
 * // 'added /health\nunchanged /api/*: already exempt\n2 paths are now exempt from maintenance.'
 */
export function describeExemptionsChange(change: ExemptionsChange, operation: 'add' | 'remove'): string {
  const why = operation === 'add' ? 'already exempt' : 'not exempt';
  const verb = change.count === 1 ? 'is' : 'are';
  return [
    ...change.added.map((path) => `added ${path}`),
    ...change.removed.map((path) => `removed ${path}`),
    ...change.unchanged.map((path) => `unchanged ${path}: ${why}`),
    `${paths(change.count)} ${verb} now exempt from maintenance.`,
  ].join('\n');
}

/** `--json`: the answer's text as received, alone on stdout; otherwise its report, and a summary for stderr. */
function print<T>(
  answer: ApiAnswer<T>,
  json: boolean,
  io: Io,
  lines: (body: T) => { stdout: string[]; stderr: string[] },
): void {
  if (json) {
    writeLine(io.stdout, answer.raw.trim());
    return;
  }
  const { stdout, stderr } = lines(answer.body);
  for (const line of stdout) writeLine(io.stdout, line);
  for (const line of stderr) writeLine(io.stderr, line);
}

/**
 * `maintenance exempt list`: GET /maintenance/exemptions. The paths go to stdout alone, one a line, so
 * the output pipes into grep or `xargs maintenance exempt remove`; the summary goes to stderr.
 *
 * @example
 * await listExemptionsCommand(api, { json: false }, io) // stdout '/health\n/api/webhooks/*\n'
 */
export async function listExemptionsCommand(
  api: ApiClient,
  command: { json: boolean },
  io: Io,
): Promise<void> {
  print(await api.listExemptions(), command.json, io, (list) => ({
    stdout: list.paths,
    stderr: [exemptionsSummary(list)],
  }));
}

/**
 * `maintenance exempt add|remove PATH...`: POST /maintenance/exemptions with the paths exactly as typed.
 * The CLI judges none of them; the API's path rule decides, all or nothing, and a refusal names each bad
 * entry with what was typed there (src/cli/api-client.ts).
 *
 * @example
 * await changeExemptionsCommand(api, { kind: 'exempt-change', json: false, operation: 'add', paths: ['/health'] }, io)
 * // stdout 'added /health\n1 path is now exempt from maintenance.\n'
 */
export async function changeExemptionsCommand(
  api: ApiClient,
  command: Extract<Command, { kind: 'exempt-change' }>,
  io: Io,
): Promise<void> {
  const { operation, paths: typed } = command;
  const answer = await api.changeExemptions(operation === 'add' ? { add: typed } : { remove: typed });
  print(answer, command.json, io, (change) => ({
    stdout: [describeExemptionsChange(change, operation)],
    stderr: [],
  }));
}
