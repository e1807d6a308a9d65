import { parseCommand, USAGE } from '../../../src/cli/args';
import { synopsisOf, type TableEntry } from '../../../src/cli/command-spec';
import { COMMANDS } from '../../../src/cli/command-table';
import { FLAGS, type FlagName, flagText, OPERANDS, type OperandName } from '../../../src/cli/flags';
import { usageMessage } from './usage-message';

type StringFlag = { [N in FlagName]: (typeof FLAGS)[N]['type'] extends 'string' ? N : never }[FlagName];

// Typed over every string flag and operand, so a new one without a sample fails to compile.
const SAMPLE_VALUE: Record<StringFlag, string> = {
  stage: 'prod',
  reason: 'Deploy',
  'retry-after': '600',
  name: 'ci',
  role: 'admin',
  'web-acl': 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/44444444-4444-4444-4444-444444444444',
  limit: '5',
  cursor: 'WyIyMDI2LTAzLTAxVDEwOjAwOjAwLjAwMFoiLCJjMSJd',
  start: '2026-12-06T02:00:00Z',
  end: '2026-12-06T03:00:00Z',
  until: '2026-12-06T03:00:00+01:00',
  for: '1h30m',
};
const SAMPLE_OPERAND: Record<OperandName, string> = {
  CIDR: '198.51.100.0/24',
  PATH: '/health',
  USER_ID: 'U024BE7LH',
  ID: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
};

function flagArgs(name: FlagName): string[] {
  return FLAGS[name].type === 'boolean' ? [`--${name}`] : [`--${name}`, SAMPLE_VALUE[name as StringFlag]];
}

const flagNames = (entry: TableEntry) => Object.keys(entry.flags) as FlagName[];

/** The shortest valid command line for `entry`: its words, one operand, its required flags. */
function minimalArgv(entry: TableEntry, without?: FlagName): string[] {
  const required = flagNames(entry).filter((name) => entry.flags[name] === 'required' && name !== without);
  return [
    ...entry.words.split(' '),
    ...(entry.operands === undefined ? [] : [SAMPLE_OPERAND[entry.operands]]),
    ...required.flatMap(flagArgs),
  ];
}

const entries = COMMANDS.map((entry) => [entry.words, entry] as const);
const withFlags = entries.filter(([, entry]) => flagNames(entry).length > 0);
const withRequiredFlags = entries.filter(([, entry]) => Object.values(entry.flags).includes('required'));

describe('the command table', () => {
  it('names each command once, and no command by a group word alone', () => {
    const words = COMMANDS.map((entry) => entry.words);
    const groups = words.filter((w) => w.includes(' ')).map((w) => w.split(' ')[0]);

    expect(new Set(words).size).toBe(words.length);
    expect(words.filter((w) => groups.includes(w))).toEqual([]);
  });

  it.each(entries)('parses %j from its shortest valid command line, with every flag it takes', (_, entry) => {
    // Of an exclusive set, only the first: the others are refused beside it (below).
    const optional = flagNames(entry).filter(
      (name) => entry.flags[name] === 'optional' && !entry.exclusive.some((set) => set.indexOf(name) > 0),
    );

    expect(parseCommand(minimalArgv(entry)).kind).not.toBe('help');
    expect(parseCommand([...minimalArgv(entry), ...optional.flatMap(flagArgs)]).kind).not.toBe('help');
  });

  it.each(entries)('lists %j in the help with its synopsis and summary', (_, entry) => {
    const synopsis = synopsisOf(entry);
    const lines = USAGE.split('\n');
    const at = lines.findIndex((text) => text === `  ${synopsis}` || text.startsWith(`  ${synopsis} `));
    // A synopsis too long for the section's column stands alone, its summary on the next line.
    const rest =
      lines[at] === `  ${synopsis}`
        ? (lines[at + 1] ?? '')
        : (lines[at]?.slice(`  ${synopsis}`.length) ?? '');

    expect(at).toBeGreaterThan(-1);
    expect(rest).toMatch(/^ {3}/);
    expect(rest.trimStart()).toBe(entry.summary[0]);
  });

  it.each(entries.filter(([, entry]) => entry.exclusive.length > 0))(
    'refuses two flags of one exclusive set of %j',
    (words, entry) => {
      for (const [first, second] of entry.exclusive) {
        if (first === undefined || second === undefined) continue;
        expect(usageMessage([...minimalArgv(entry), ...flagArgs(first), ...flagArgs(second)])).toBe(
          `'${words}' takes --${first} or --${second}, not both.`,
        );
      }
    },
  );

  it.each(withFlags)('shows every flag %j takes in its synopsis or under Options', (_, entry) => {
    const options = USAGE.slice(USAGE.indexOf('\nOptions:\n'));
    for (const name of flagNames(entry)) {
      const where = 'underOptions' in FLAGS[name] ? options : synopsisOf(entry);
      expect(where).toContain(flagText(name));
    }
  });

  it.each(entries)('refuses each flag %j does not take', (words, entry) => {
    const refused = (Object.keys(FLAGS) as FlagName[]).filter(
      (name) => !('everywhere' in FLAGS[name]) && entry.flags[name] === undefined,
    );
    for (const name of refused) {
      expect(usageMessage([...minimalArgv(entry), ...flagArgs(name)])).toBe(
        `'${words}' does not take --${name}.`,
      );
    }
  });

  it.each(withRequiredFlags)('names each required flag %j misses', (words, entry) => {
    for (const name of flagNames(entry).filter((each) => entry.flags[each] === 'required')) {
      expect(usageMessage(minimalArgv(entry, name))).toBe(`'${words}' needs --${name}.`);
    }
  });

  it.each(entries.filter(([, entry]) => entry.operands !== undefined))(
    'names the operand %j misses, and shows it in the help',
    (words, entry) => {
      const operand = OPERANDS[entry.operands as OperandName];
      const argv = minimalArgv(entry).filter((arg) => arg !== SAMPLE_OPERAND[entry.operands as OperandName]);

      expect(usageMessage(argv)).toBe(`'${words}' needs ${operand.needs}.`);
      for (const line of operand.notes) expect(USAGE).toContain(line);
    },
  );

  it('tells a group without its subcommand every subcommand it has', () => {
    const groups = new Set(COMMANDS.flatMap((entry) => entry.words.split(' ').slice(0, -1)));
    for (const group of groups) {
      const message = usageMessage([group]);
      for (const entry of COMMANDS.filter((each) => each.words.startsWith(`${group} `))) {
        expect(message).toMatch(new RegExp(`^'${group}' needs .*\\b${entry.words.split(' ')[1]}\\b`));
      }
    }
  });

  it('describes every flag every command takes under Options', () => {
    const shared = (Object.keys(FLAGS) as FlagName[]).filter((name) => 'everywhere' in FLAGS[name]);

    expect(shared).toEqual(expect.arrayContaining(['json', 'help']));
    for (const name of shared) expect(USAGE).toMatch(new RegExp(`^ {2}(-\\w, )?${flagText(name)} `, 'm'));
  });
});
