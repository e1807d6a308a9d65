import type { Command } from './args';
import { FLAGS, type FlagName, type FlagValue, flagText, OPERANDS, type OperandName } from './flags';

/** Every flag's value as parsed, before any command's rules apply. */
export type Values = { [N in FlagName]?: FlagValue<N> };

/** The flags a command takes, each required or optional; any other flag is refused. */
export type FlagUses = { readonly [N in FlagName]?: 'required' | 'optional' };

type Named<U> = keyof U & FlagName;
type RequiredIn<U extends FlagUses> = { [N in Named<U>]: U[N] extends 'required' ? N : never }[Named<U>];
type OptionalIn<U extends FlagUses> = Exclude<Named<U>, RequiredIn<U>>;

/** A command's values once the parser has checked them: its required flags are present, and no flag it does not take. */
type Given<U extends FlagUses> = { [N in RequiredIn<U>]: FlagValue<N> } & {
  [N in OptionalIn<U>]?: FlagValue<N>;
};

/** The operands once counted: exactly one, at least one, or none. */
type Counted<O> = O extends OperandName
  ? (typeof OPERANDS)[O]['repeats'] extends true
    ? [string, ...string[]]
    : [string]
  : [];

/** One row of the command table, as written. */
export interface CommandSpec<U extends FlagUses, O extends OperandName | undefined> {
  /** The words that name it: `'on'`, `'bypass add'`. Commands sharing a first word form a group. */
  readonly words: string;
  /** The heading it is listed under in the help; sections appear in the order the table first names them. */
  readonly section: string;
  /** What the help says beside its synopsis, one string a line. */
  readonly summary: string | readonly string[];
  readonly flags?: U;
  /** Optional flags of which at most one may be given; the synopsis shows each set as `[--a A | --b B]`. */
  readonly exclusive?: readonly (readonly OptionalIn<U>[])[];
  readonly operands?: O;
  /** Makes the Command; it may still refuse a malformed value with a UsageError. */
  readonly build: (input: { json: boolean; values: Given<U>; operands: Counted<O> }) => Command;
}

/** A row of the command table as the parser and the help read it. */
export interface TableEntry {
  readonly words: string;
  readonly section: string;
  readonly summary: readonly string[];
  readonly flags: FlagUses;
  readonly exclusive: readonly (readonly FlagName[])[];
  readonly operands: OperandName | undefined;
  readonly build: (input: { json: boolean; values: Values; operands: string[] }) => Command;
}

/**
 * Declares one command; the types make `build` see its required flags as present and its operands as
 * counted, which the parser guarantees before it calls `build`.
 *
 * @example
 * command({
 *   words: 'token revoke',
 *   section: 'API tokens:',
 *   summary: 'Revoke a token',
 *   flags: { name: 'required' },
 *   build: ({ json, values }) => ({ kind: 'token-revoke', json, name: values.name }),
 * })
 */
export function command<
  const U extends FlagUses = Record<never, never>,
  const O extends OperandName | undefined = undefined,
>(spec: CommandSpec<U, O>): TableEntry {
  const { summary, flags = {}, exclusive = [] } = spec;
  // The types already forbid this; the check keeps a cast or a plain-JS caller from slipping it past.
  for (const name of exclusive.flat()) {
    if ((flags as FlagUses)[name] !== 'optional') {
      throw new Error(`'${spec.words}': --${name} is in an exclusive set, so it must be an optional flag.`);
    }
  }
  return {
    words: spec.words,
    section: spec.section,
    summary: typeof summary === 'string' ? [summary] : summary,
    flags,
    exclusive,
    operands: spec.operands,
    // Sound because the parser checks the required flags and the operand count before building.
    build: spec.build as unknown as TableEntry['build'],
  };
}

/**
 * The command as the help shows it: its words, its operand, then its flags in the order the entry names
 * them, optional ones in brackets. Flags explained under Options are left out.
 *
 * @example
 * synopsisOf(entry) // 'on [--reason TEXT] [--retry-after SECONDS]'
 */
export function synopsisOf(entry: TableEntry): string {
  const parts = [entry.words];
  if (entry.operands !== undefined) {
    parts.push(OPERANDS[entry.operands].repeats ? `${entry.operands}...` : entry.operands);
  }
  const shown = new Set<FlagName>();
  for (const name of Object.keys(entry.flags) as FlagName[]) {
    if (shown.has(name) || 'underOptions' in FLAGS[name]) continue;
    const set = entry.exclusive.find((names) => names.includes(name)) ?? [name];
    for (const each of set) shown.add(each);
    const text = set.map(flagText).join(' | ');
    parts.push(entry.flags[name] === 'required' ? text : `[${text}]`);
  }
  return parts.join(' ');
}
