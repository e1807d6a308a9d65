import { parseArgs } from 'node:util';
import { parseWebAclArn } from '../adapters/aws/waf-arn';
import { MisconfiguredError } from '../domain/errors';
import { MAX_REASON_LENGTH, MAX_RETRY_AFTER_SECONDS } from '../domain/maintenance-status';
import { isRole, type Role } from '../domain/roles';
import { isSlackUserId } from '../domain/slack-user';
import { UsageError } from './errors';

/** What the user asked for, fully checked; `json` selects machine output. */
export type Command =
  | { kind: 'help' }
  | { kind: 'status'; json: boolean }
  | { kind: 'doctor'; json: boolean }
  | { kind: 'set'; json: boolean; enabled: boolean; reason?: string; retryAfterSeconds?: number }
  | { kind: 'bypass-list'; json: boolean }
  | { kind: 'bypass-change'; json: boolean; operation: 'add' | 'remove'; cidrs: string[] }
  | { kind: 'token-create'; json: boolean; name: string; role: Role; stage?: string }
  | { kind: 'token-list'; json: boolean; stage?: string }
  | { kind: 'token-revoke'; json: boolean; name: string; stage?: string }
  | { kind: 'slack-grant'; json: boolean; userId: string; role: Role; stage?: string }
  | { kind: 'slack-revoke'; json: boolean; userId: string; stage?: string }
  | { kind: 'slack-list'; json: boolean; stage?: string }
  | { kind: 'attach'; json: boolean; webAclArn: string; renumber: boolean; stage?: string }
  | { kind: 'detach'; json: boolean; webAclArn: string; stage?: string };

/** The help text: `--help` prints it on stdout; usage errors only point at it. */
export const USAGE = `Usage: maintenance <command> [options]

Maintenance mode, through the HTTP API (needs MAINTENANCE_API_URL and MAINTENANCE_TOKEN):
  status                                       Show whether maintenance is on
  doctor                                       Check that it would really reach visitors (exit 1 if not)
  on [--reason TEXT] [--retry-after SECONDS]   Turn maintenance on (503, Retry-After 1-${MAX_RETRY_AFTER_SECONDS} s)
  off [--reason TEXT]                          Turn maintenance off
  bypass list                                  List the addresses that bypass maintenance, one a line
  bypass add CIDR...                           Let these addresses through during maintenance (admin)
  bypass remove CIDR...                        Stop letting them through (admin)
                                               CIDR: an IPv4 or IPv6 address or network; a bare address
                                               is /32 or /128. The API checks and canonicalises them.

API tokens, directly in DynamoDB (needs AWS credentials):
  token create --name NAME --role operator|admin   Mint a token; prints it alone on stdout, once
  token list                                       List tokens: name, role, creation time
  token revoke --name NAME                         Revoke a token

Slack users' roles for the slash command, directly in DynamoDB (needs AWS credentials):
  slack grant USER_ID --role operator|admin        Let a Slack user act with this role (replaces theirs)
  slack revoke USER_ID                             Take a Slack user's grant away
  slack list                                       List grants: user ID, role, grant time
                                                   USER_ID: a Slack member ID such as U024BE7LH
                                                   (U or W, then upper-case letters and digits)

The switch in a CloudFront web ACL you already have, directly in WAF (needs AWS credentials):
  attach --web-acl ARN [--renumber]   Reference the stage's rule group waf-maintenance-STAGE as the
                                      ACL's first rule (priority 0), restating the rest unchanged.
                                      Refuses when priority 0 is taken, unless --renumber shifts every
                                      existing rule down by one (0 -> 1, 5 -> 6), keeping their order
  detach --web-acl ARN                Remove that reference; every other rule keeps its priority

Options:
  --json          Machine-readable output on stdout
  --stage STAGE   Stage whose table the token and slack commands use, and whose rule group attach and
                  detach reference (default: $MAINTENANCE_STAGE, else dev); the table is
                  waf-maintenance-STAGE unless MAINTENANCE_TABLE_NAME names it
  -h, --help      Show this help
`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  reason: { type: 'string' },
  'retry-after': { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  stage: { type: 'string' },
  'web-acl': { type: 'string' },
  renumber: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = { [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The flags each command accepts besides --json and --help. */
const COMMAND_OPTIONS: Record<string, OptionName[]> = {
  status: [],
  doctor: [],
  on: ['reason', 'retry-after'],
  off: ['reason'],
  'bypass list': [],
  'bypass add': [],
  'bypass remove': [],
  'token create': ['name', 'role', 'stage'],
  'token list': ['stage'],
  'token revoke': ['name', 'stage'],
  'slack grant': ['role', 'stage'],
  'slack revoke': ['stage'],
  'slack list': ['stage'],
  attach: ['web-acl', 'renumber', 'stage'],
  detach: ['web-acl', 'stage'],
};

/** Commands named by two words; the second is a subcommand. */
const GROUPS: Record<string, string> = {
  token: "'token' needs create, list or revoke.",
  bypass: "'bypass' needs list, add or remove.",
  slack: "'slack' needs grant, revoke or list.",
};

/** Commands that take their own positional arguments (addresses, a user ID) after the command words. */
const TAKES_OPERANDS = new Set(['bypass add', 'bypass remove', 'slack grant', 'slack revoke']);

const STAGE_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

function required(values: Values, option: 'name' | 'role' | 'web-acl', command: string): string {
  const value = values[option];
  if (value === undefined) throw new UsageError(`'${command}' needs --${option}.`);
  return value;
}

function roleOf(values: Values, command: string): Role {
  const role = required(values, 'role', command);
  if (!isRole(role)) throw new UsageError(`--role must be operator or admin, not '${role}'.`);
  return role;
}

/** Exactly one Slack user ID, checked here so a display name or a lower-cased ID never reaches the table. */
function userIdOf(operands: string[], command: string): string {
  const [userId, extra] = operands;
  if (userId === undefined) throw new UsageError(`'${command}' needs a USER_ID.`);
  if (extra !== undefined) throw new UsageError(`Unexpected argument '${extra}' for '${command}'.`);
  if (!isSlackUserId(userId)) {
    throw new UsageError(
      `USER_ID must be a Slack user ID such as U024BE7LH (U or W, then upper-case letters and digits), not '${userId}'.`,
    );
  }
  return userId;
}

/**
 * A CloudFront web ACL's ARN, checked here so a typo is a usage error: the switch's rule group has scope
 * CLOUDFRONT, which a regional web ACL cannot reference.
 */
function webAclOf(values: Values, command: string): string {
  const arn = required(values, 'web-acl', command);
  let scope: string;
  try {
    scope = parseWebAclArn(arn).scope;
  } catch (error) {
    if (!(error instanceof MisconfiguredError)) throw error;
    throw new UsageError(
      `--web-acl must be a web ACL's ARN (arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID), not '${arn}'.`,
    );
  }
  if (scope !== 'CLOUDFRONT') {
    throw new UsageError(
      `--web-acl must be a CloudFront web ACL (…:global/webacl/…): a regional one cannot reference the switch's rule group.`,
    );
  }
  return arn;
}

function reasonOf(values: Values): string | undefined {
  const reason = values.reason;
  if (reason !== undefined && (reason.length < 1 || reason.length > MAX_REASON_LENGTH)) {
    throw new UsageError(`--reason must be 1 to ${MAX_REASON_LENGTH} characters.`);
  }
  return reason;
}

function retryAfterOf(values: Values): number | undefined {
  const raw = values['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_RETRY_AFTER_SECONDS) {
    throw new UsageError(
      `--retry-after must be a whole number of seconds from 1 to ${MAX_RETRY_AFTER_SECONDS}.`,
    );
  }
  return seconds;
}

function stageOf(values: Values): { stage?: string } {
  const stage = values.stage;
  if (stage === undefined) return {};
  if (!STAGE_PATTERN.test(stage)) throw new UsageError('--stage must be letters, digits and hyphens.');
  return { stage };
}

function strictParse(argv: string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs reports every malformed command line with an ERR_PARSE_ARGS_* code.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message.split('\n')[0] ?? 'Invalid arguments.');
    }
    throw error;
  }
}

/**
 * Parses the arguments after `maintenance` into a Command. Every flag is parsed strictly, then checked
 * against what the chosen command accepts, so `off --retry-after 5` is refused rather than ignored.
 * Throws UsageError for anything malformed.
 *
 * @example
 * parseCommand(['on', '--reason', 'Deploy', '--retry-after', '600'])
 * // { kind: 'set', enabled: true, reason: 'Deploy', retryAfterSeconds: 600, json: false }
 */
export function parseCommand(argv: string[]): Command {
  const { values, positionals } = strictParse(argv);
  if (values.help || positionals[0] === 'help') return { kind: 'help' };
  const [first, second] = positionals;
  if (first === undefined) throw new UsageError('No command given.');
  // Own properties only: `maintenance constructor` must not find Object.prototype's.
  const group = Object.hasOwn(GROUPS, first) ? GROUPS[first] : undefined;
  if (group !== undefined && second === undefined) throw new UsageError(group);
  const key = group === undefined ? first : `${first} ${second}`;
  const allowed = Object.hasOwn(COMMAND_OPTIONS, key) ? COMMAND_OPTIONS[key] : undefined;
  if (!allowed) throw new UsageError(`Unknown command '${key}'.`);
  const operands = positionals.slice(key.split(' ').length);
  if (operands.length > 0 && !TAKES_OPERANDS.has(key)) {
    throw new UsageError(`Unexpected argument '${operands[0]}' for '${key}'.`);
  }
  for (const option of Object.keys(values) as OptionName[]) {
    if (option !== 'json' && option !== 'help' && !allowed.includes(option)) {
      throw new UsageError(`'${key}' does not take --${option}.`);
    }
  }

  const json = values.json === true;
  switch (key) {
    case 'status':
      return { kind: 'status', json };
    case 'doctor':
      return { kind: 'doctor', json };
    case 'on':
    case 'off': {
      const reason = reasonOf(values);
      const retryAfterSeconds = retryAfterOf(values);
      return {
        kind: 'set',
        json,
        enabled: key === 'on',
        ...(reason === undefined ? {} : { reason }),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      };
    }
    case 'bypass list':
      return { kind: 'bypass-list', json };
    case 'bypass add':
    case 'bypass remove':
      // The addresses go to the API as typed: its parser alone decides what is valid.
      if (operands.length === 0) throw new UsageError(`'${key}' needs at least one CIDR.`);
      return {
        kind: 'bypass-change',
        json,
        operation: key === 'bypass add' ? 'add' : 'remove',
        cidrs: operands,
      };
    case 'token create': {
      const name = required(values, 'name', key);
      return { kind: 'token-create', json, name, role: roleOf(values, key), ...stageOf(values) };
    }
    case 'token list':
      return { kind: 'token-list', json, ...stageOf(values) };
    case 'token revoke':
      return { kind: 'token-revoke', json, name: required(values, 'name', key), ...stageOf(values) };
    case 'slack grant': {
      const userId = userIdOf(operands, key);
      return { kind: 'slack-grant', json, userId, role: roleOf(values, key), ...stageOf(values) };
    }
    case 'slack revoke':
      return { kind: 'slack-revoke', json, userId: userIdOf(operands, key), ...stageOf(values) };
    case 'slack list':
      return { kind: 'slack-list', json, ...stageOf(values) };
    case 'attach': {
      const webAclArn = webAclOf(values, key);
      return { kind: 'attach', json, webAclArn, renumber: values.renumber === true, ...stageOf(values) };
    }
    case 'detach':
      return { kind: 'detach', json, webAclArn: webAclOf(values, key), ...stageOf(values) };
    default:
      // COMMAND_OPTIONS and this switch list the same commands; reaching here means they drifted.
      throw new Error(`No parser for the command '${key}'.`);
  }
}
