import { parseArgs } from 'node:util';
import type { Command } from './args';
import type { TableEntry, Values } from './command-spec';
import { UsageError } from './errors';
import { FLAGS, type FlagName, OPERANDS } from './flags';

/** `a`, `a or b`, `a, b or c`. */
function oneOf(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** For each group's first word, what to say when the second is missing: "'token' needs create, list or revoke." */
function groupMessages(table: readonly TableEntry[]): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const { words } of table) {
    const [group, subcommand] = words.split(' ');
    if (group !== undefined && subcommand !== undefined) {
      groups.set(group, [...(groups.get(group) ?? []), subcommand]);
    }
  }
  return new Map(
    [...groups].map(([group, subcommands]) => [group, `'${group}' needs ${oneOf(subcommands)}.`]),
  );
}

function strictParse(argv: string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs reports every malformed command line with an ERR_PARSE_ARGS_* code.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message.split('\n')[0] ?? 'Invalid arguments.');
    }
    throw error;
  }
}

function unexpected(argument: string, key: string): UsageError {
  return new UsageError(`Unexpected argument '${argument}' for '${key}'.`);
}

/** Refuses a flag the command does not take, and two flags of one exclusive set. */
function checkTaken(entry: TableEntry, key: string, values: Values): void {
  const given = Object.keys(values) as FlagName[];
  for (const name of given) {
    if (!('everywhere' in FLAGS[name]) && entry.flags[name] === undefined) {
      throw new UsageError(`'${key}' does not take --${name}.`);
    }
  }
  for (const set of entry.exclusive) {
    const [first, second] = set.filter((name) => given.includes(name));
    if (second !== undefined) throw new UsageError(`'${key}' takes --${first} or --${second}, not both.`);
  }
}

function checkCount(entry: TableEntry, key: string, operands: string[]): void {
  if (entry.operands === undefined) return;
  const [first, extra] = operands;
  if (first === undefined) throw new UsageError(`'${key}' needs ${OPERANDS[entry.operands].needs}.`);
  if (extra !== undefined && !OPERANDS[entry.operands].repeats) throw unexpected(extra, key);
}

function checkRequired(entry: TableEntry, key: string, values: Values): void {
  for (const [name, use] of Object.entries(entry.flags) as [FlagName, string][]) {
    if (use === 'required' && values[name] === undefined) throw new UsageError(`'${key}' needs --${name}.`);
  }
}

/**
 * A parser for the commands of `table`. Every flag is parsed strictly, then checked against what the
 * chosen command takes, so `off --retry-after 5` is refused rather than ignored. The checks run in the
 * order a user fixes them: a stray argument, a flag the command does not take, a missing operand, a
 * missing flag, then the values themselves (in the entry's `build`).
 *
 * @example
 * const parse = commandParser(COMMANDS);
 * parse(['bypass', 'add', '10.0.0.0/8']) // { kind: 'bypass-change', operation: 'add', ... }
 */
export function commandParser(table: readonly TableEntry[]): (argv: string[]) => Command {
  const byWords = new Map(table.map((entry) => [entry.words, entry]));
  const groups = groupMessages(table);
  return (argv) => {
    const { values, positionals } = strictParse(argv);
    if (values.help || positionals[0] === 'help') return { kind: 'help' };
    const [first, second] = positionals;
    if (first === undefined) throw new UsageError('No command given.');
    const group = groups.get(first);
    if (group !== undefined && second === undefined) throw new UsageError(group);
    const key = group === undefined ? first : `${first} ${second}`;
    const entry = byWords.get(key);
    if (entry === undefined) throw new UsageError(`Unknown command '${key}'.`);
    const operands = positionals.slice(key.split(' ').length);
    if (entry.operands === undefined && operands[0] !== undefined) throw unexpected(operands[0], key);
    checkTaken(entry, key, values);
    checkCount(entry, key, operands);
    checkRequired(entry, key, values);
    return entry.build({ json: values.json === true, values, operands });
  };
}
