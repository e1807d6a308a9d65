import { ROLES } from '../domain/roles';
import { MAX_EXEMPTIONS } from '../domain/values';

/**
 * A flag as node:util's parseArgs reads it, plus how the help shows it. parseArgs ignores the extra
 * fields, so FLAGS is handed to it as it is and the parsed values keep their types.
 */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias: `-h`. */
  readonly short?: string;
  /** The value's name in a synopsis: `--reason TEXT`. */
  readonly placeholder?: string;
  /** Lines under Options. A flag with them is explained there once and left out of each synopsis. */
  readonly underOptions?: readonly string[];
  /** Taken by every command, so no entry lists it. */
  readonly everywhere?: true;
}

/**
 * Every flag of the CLI, each declared once; a command's entry only names the ones it takes. The flags
 * with `underOptions` are listed under Options in this order.
 *
 * @example
 * FLAGS['retry-after'] // { type: 'string', placeholder: 'SECONDS' }
 */
export const FLAGS = {
  json: { type: 'boolean', everywhere: true, underOptions: ['Machine-readable output on stdout'] },
  stage: {
    type: 'string',
    placeholder: 'STAGE',
    underOptions: [
      'Stage whose table the token and slack commands use, and whose rule group attach and',
      'detach reference (default: $MAINTENANCE_STAGE, else dev); the table is',
      'waf-maintenance-STAGE unless MAINTENANCE_TABLE_NAME names it',
    ],
  },
  help: { type: 'boolean', short: 'h', everywhere: true, underOptions: ['Show this help'] },
  reason: { type: 'string', placeholder: 'TEXT' },
  'retry-after': { type: 'string', placeholder: 'SECONDS' },
  name: { type: 'string', placeholder: 'NAME' },
  role: { type: 'string', placeholder: ROLES.join('|') },
  'web-acl': { type: 'string', placeholder: 'ARN' },
  renumber: { type: 'boolean' },
  limit: { type: 'string', placeholder: 'N' },
  cursor: { type: 'string', placeholder: 'CURSOR' },
  start: { type: 'string', placeholder: 'RFC3339' },
  end: { type: 'string', placeholder: 'RFC3339' },
  until: { type: 'string', placeholder: 'RFC3339' },
  for: { type: 'string', placeholder: 'DURATION' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** What parseArgs gives for a flag: a boolean flag is `true` when present, a string flag its text. */
export type FlagValue<N extends FlagName> = (typeof FLAGS)[N]['type'] extends 'boolean' ? boolean : string;

/**
 * A flag as the help writes it.
 *
 * @example
 * flagText('retry-after') // '--retry-after SECONDS'
 */
export function flagText(name: FlagName): string {
  const flag: FlagSpec = FLAGS[name];
  return flag.placeholder === undefined ? `--${name}` : `--${name} ${flag.placeholder}`;
}

/** The operands a command may take after its words, each declared once like the flags. */
export interface OperandSpec {
  /** Whether more than one may be given (`CIDR...`); at least one is always needed. */
  readonly repeats: boolean;
  /** What the usage error says is missing: `'bypass add' needs at least one CIDR.` */
  readonly needs: string;
  /** Lines the help prints once, after the commands of each section that take this operand. */
  readonly notes: readonly string[];
}

/**
 * @example
 * OPERANDS.USER_ID.needs // 'a USER_ID'
 */
export const OPERANDS = {
  CIDR: {
    repeats: true,
    needs: 'at least one CIDR',
    notes: [
      'CIDR: an IPv4 or IPv6 address or network; a bare address',
      'is /32 or /128. The API checks and canonicalises them.',
    ],
  },
  PATH: {
    repeats: true,
    needs: 'at least one PATH',
    notes: [
      'PATH: a URI path. /health matches that path exactly; a',
      "trailing * matches a prefix (quote '/api/webhooks/*' from",
      `the shell). At most ${MAX_EXEMPTIONS} in all; the API checks them.`,
    ],
  },
  USER_ID: {
    repeats: false,
    needs: 'a USER_ID',
    notes: ['USER_ID: a Slack member ID such as U024BE7LH', '(U or W, then upper-case letters and digits)'],
  },
  ID: {
    repeats: false,
    needs: 'a window ID',
    notes: ["ID: a window's id, as 'maintenance windows' lists it"],
  },
} as const satisfies Record<string, OperandSpec>;

export type OperandName = keyof typeof OPERANDS;
