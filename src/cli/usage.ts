import { synopsisOf, type TableEntry } from './command-spec';
import { FLAGS, type FlagName, type FlagSpec, flagText, OPERANDS, type OperandName } from './flags';

/** A left column longer than this puts its text on the next line rather than pushing the whole section right. */
const MAX_LEFT_WIDTH = 48;
const INDENT = '  ';
const GAP = '   ';

interface Row {
  left: string;
  right: readonly string[];
}

/** Rows aligned on one column per section, so each section reads as a table. */
function renderRows(rows: readonly Row[]): string[] {
  const width = Math.max(0, ...rows.map((row) => row.left.length).filter((n) => n <= MAX_LEFT_WIDTH));
  const pad = ' '.repeat(width);
  return rows.flatMap(({ left, right }) => {
    const [first = '', ...rest] = right;
    const head =
      left.length > width
        ? [`${INDENT}${left}`, `${INDENT}${pad}${GAP}${first}`]
        : [`${INDENT}${left.padEnd(width)}${GAP}${first}`];
    return [...head, ...rest.map((line) => `${INDENT}${pad}${GAP}${line}`)];
  });
}

function commandSections(table: readonly TableEntry[]): string[] {
  const sections = new Map<string, TableEntry[]>();
  for (const entry of table) sections.set(entry.section, [...(sections.get(entry.section) ?? []), entry]);
  return [...sections].flatMap(([title, entries]) => {
    const operands = new Set(entries.flatMap((entry) => entry.operands ?? []));
    const notes = [...operands].flatMap((name: OperandName) => OPERANDS[name].notes);
    const rows = entries.map((entry) => ({ left: synopsisOf(entry), right: entry.summary }));
    return [title, ...renderRows(notes.length > 0 ? [...rows, { left: '', right: notes }] : rows), ''];
  });
}

function optionsSection(): string[] {
  const flags = Object.entries(FLAGS) as [FlagName, FlagSpec][];
  const rows = flags.flatMap(([name, flag]) => {
    if (flag.underOptions === undefined) return [];
    const long = flagText(name);
    return [{ left: flag.short === undefined ? long : `-${flag.short}, ${long}`, right: flag.underOptions }];
  });
  return ['Options:', ...renderRows(rows)];
}

/**
 * The help text: `header`, each section's commands with their synopses and summaries, the operands
 * they take explained once, then the flags explained under Options.
 *
 * @example
 * renderUsage('Usage: maintenance <command> [options]', COMMANDS) // 'Usage: maintenance ...\n\n...'
 */
export function renderUsage(header: string, table: readonly TableEntry[]): string {
  return [header, '', ...commandSections(table), ...optionsSection(), ''].join('\n');
}
