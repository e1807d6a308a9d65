import type { Command } from '../../../src/cli/args';
import { commandParser } from '../../../src/cli/command-parser';
import { command, synopsisOf } from '../../../src/cli/command-spec';
import { renderUsage } from '../../../src/cli/usage';
import { usageMessage as usageOf } from './usage-message';

const done = ({ json }: { json: boolean }): Command => ({ kind: 'status', json });

// A table of its own, to show what the real one can express before it needs it.
const TABLE = [
  command({
    words: 'go',
    section: 'Going:',
    summary: 'Go, with a reason or a delay but not both',
    flags: { reason: 'optional', 'retry-after': 'optional', name: 'optional' },
    exclusive: [['reason', 'retry-after']],
    build: done,
  }),
  command({ words: 'stop', section: 'Going:', summary: 'Stop', build: done }),
  command({
    words: 'box open',
    section: 'Boxes:',
    summary: ['Open the box', 'for this user'],
    operands: 'USER_ID',
    flags: { role: 'required' },
    build: ({ json, operands: [userId] }) => ({ kind: 'slack-revoke', json, userId }),
  }),
  command({
    words: 'box fill',
    section: 'Boxes:',
    summary: 'Fill it with addresses',
    operands: 'CIDR',
    build: ({ json, operands }) => ({ kind: 'bypass-change', json, operation: 'add', cidrs: operands }),
  }),
];

const parse = commandParser(TABLE);
const usageMessage = (argv: string[]) => usageOf(argv, parse);

describe('commandParser', () => {
  it('takes either flag of an exclusive set, and refuses both together', () => {
    expect(parse(['go', '--reason', 'x'])).toEqual({ kind: 'status', json: false });
    expect(parse(['go', '--retry-after', '5', '--name', 'n'])).toEqual({ kind: 'status', json: false });
    expect(usageMessage(['go', '--retry-after', '5', '--name', 'n', '--reason', 'x'])).toBe(
      "'go' takes --reason or --retry-after, not both.",
    );
  });

  it("derives each group's message from the table's subcommands, in order", () => {
    expect(usageMessage(['box'])).toBe("'box' needs open or fill.");
    expect(usageMessage(['box', 'close'])).toBe("Unknown command 'box close'.");
  });

  it('counts operands: exactly one, or at least one', () => {
    expect(parse(['box', 'open', 'U1', '--role', 'admin'])).toEqual({
      kind: 'slack-revoke',
      json: false,
      userId: 'U1',
    });
    expect(usageMessage(['box', 'open', 'U1', 'U2', '--role', 'admin'])).toBe(
      "Unexpected argument 'U2' for 'box open'.",
    );
    expect(usageMessage(['box', 'fill'])).toBe("'box fill' needs at least one CIDR.");
    expect(parse(['--json', 'box', 'fill', 'a', 'b'])).toEqual({
      kind: 'bypass-change',
      json: true,
      operation: 'add',
      cidrs: ['a', 'b'],
    });
  });

  it('reports a stray argument before a flag the command does not take, and a missing operand before a missing flag', () => {
    expect(usageMessage(['stop', 'now', '--name', 'n'])).toBe("Unexpected argument 'now' for 'stop'.");
    expect(usageMessage(['box', 'open'])).toBe("'box open' needs a USER_ID.");
  });

  it('shows an exclusive set as one bracket of alternatives', () => {
    expect(TABLE.map(synopsisOf)).toEqual([
      'go [--reason TEXT | --retry-after SECONDS] [--name NAME]',
      'stop',
      'box open USER_ID --role operator|admin',
      'box fill CIDR...',
    ]);
  });

  it('refuses an exclusive set with a flag that is not optional', () => {
    const declare = () =>
      command({
        words: 'x',
        section: 'X:',
        summary: 'x',
        flags: { name: 'required', role: 'optional' },
        // @ts-expect-error: a required flag cannot be one of a set that allows none of them
        exclusive: [['name', 'role']],
        build: done,
      });

    expect(declare).toThrow("'x': --name is in an exclusive set, so it must be an optional flag.");
  });
});

describe('renderUsage', () => {
  it('aligns each section on its own column, puts an overlong synopsis on a line of its own, and explains operands once', () => {
    expect(renderUsage('Usage: t <command>', TABLE)).toBe(
      [
        'Usage: t <command>',
        '',
        'Going:',
        '  go [--reason TEXT | --retry-after SECONDS] [--name NAME]',
        '         Go, with a reason or a delay but not both',
        '  stop   Stop',
        '',
        'Boxes:',
        '  box open USER_ID --role operator|admin   Open the box',
        '                                           for this user',
        '  box fill CIDR...                         Fill it with addresses',
        '                                           USER_ID: a Slack member ID such as U024BE7LH',
        '                                           (U or W, then upper-case letters and digits)',
        '                                           CIDR: an IPv4 or IPv6 address or network; a bare address',
        '                                           is /32 or /128. The API checks and canonicalises them.',
        '',
        'Options:',
        '  --json          Machine-readable output on stdout',
        '  --stage STAGE   Stage whose table the token and slack commands use, and whose rule group attach and',
        '                  detach reference (default: $MAINTENANCE_STAGE, else dev); the table is',
        '                  waf-maintenance-STAGE unless MAINTENANCE_TABLE_NAME names it',
        '  -h, --help      Show this help',
        '',
      ].join('\n'),
    );
  });
});
