import { HISTORY_LIMIT } from '../domain/history';
import { MAX_RETRY_AFTER_SECONDS } from '../domain/maintenance-status';
import { formatDuration } from '../domain/values';
import { WINDOW_LIMITS } from '../domain/windows';
import { command, type TableEntry } from './command-spec';
import {
  endsOf,
  instantOf,
  limitOf,
  reasonOf,
  retryAfterOf,
  roleOf,
  stageOf,
  userIdOf,
  webAclOf,
  windowIdOf,
} from './option-values';

const API = 'Maintenance mode, through the HTTP API (needs MAINTENANCE_API_URL and MAINTENANCE_TOKEN):';
const TOKENS = 'API tokens, directly in DynamoDB (needs AWS credentials):';
const SLACK = "Slack users' roles for the slash command, directly in DynamoDB (needs AWS credentials):";
const MAX_LENGTH = formatDuration(WINDOW_LIMITS.maxLengthMs / 1000);
const WEB_ACL =
  'The switch in a CloudFront web ACL you already have, directly in WAF (needs AWS credentials):';

function set(enabled: boolean, json: boolean, values: { reason?: string; 'retry-after'?: string }) {
  return {
    kind: 'set',
    json,
    enabled,
    ...reasonOf(values.reason),
    ...retryAfterOf(values['retry-after']),
  } as const;
}

/**
 * Every command of the CLI, in the order the help lists them. The parser's options, its checks, the
 * groups' messages and the help are all read from here, so a new command is one more entry.
 *
 * @example
 * COMMANDS.map((entry) => entry.words) // ['status', 'doctor', 'on', 'off', 'schedule', 'windows', 'cancel', 'history', ...]
 */
export const COMMANDS: readonly TableEntry[] = [
  command({
    words: 'status',
    section: API,
    summary: [
      'Show whether maintenance is on, and the bypass link while it is',
      '(a full URL when MAINTENANCE_SITE_URL or the stack knows the site)',
    ],
    build: ({ json }) => ({ kind: 'status', json }),
  }),
  command({
    words: 'doctor',
    section: API,
    summary: 'Check that it would really reach visitors (exit 1 if not)',
    build: ({ json }) => ({ kind: 'doctor', json }),
  }),
  command({
    words: 'on',
    section: API,
    summary: [
      `Turn maintenance on (503, Retry-After 1-${MAX_RETRY_AFTER_SECONDS} s); prints the bypass link,`,
      'and warns when your own address is not in the bypass set;',
      `--until or --for (45m, 2h, 1h30m, up to ${MAX_LENGTH}): off by itself then`,
    ],
    flags: { reason: 'optional', 'retry-after': 'optional', until: 'optional', for: 'optional' },
    exclusive: [['until', 'for']],
    build: ({ json, values }) => ({ ...set(true, json, values), ...endsOf(values) }),
  }),
  command({
    words: 'off',
    section: API,
    summary: 'Turn maintenance off',
    flags: { reason: 'optional' },
    build: ({ json, values }) => set(false, json, values),
  }),
  command({
    words: 'schedule',
    section: API,
    summary: [
      'Plan a window: maintenance on at --start, off at --end, by itself',
      '(RFC 3339 with an offset, like 2026-12-06T02:00:00Z; at most',
      `${MAX_LENGTH} long, starting within a year)`,
    ],
    flags: { start: 'required', end: 'required', reason: 'optional', 'retry-after': 'optional' },
    build: ({ json, values }) => ({
      kind: 'schedule',
      json,
      startsAt: instantOf('start', values.start),
      endsAt: instantOf('end', values.end),
      ...reasonOf(values.reason),
      ...retryAfterOf(values['retry-after']),
    }),
  }),
  command({
    words: 'windows',
    section: API,
    summary: 'List the scheduled and active windows, one a line, by start',
    build: ({ json }) => ({ kind: 'windows', json }),
  }),
  // The id goes to the API as typed: it alone knows which windows there are (404 for any other).
  command({
    words: 'cancel',
    section: API,
    summary: ['Cancel a window; an active one ends now', '(maintenance off, unless someone took it over)'],
    operands: 'ID',
    build: ({ json, operands: [id] }) => ({ kind: 'cancel', json, id: windowIdOf(id) }),
  }),
  // The cursor goes to the API as given: it is the API's own, and only the API can judge it.
  command({
    words: 'history',
    section: API,
    summary: [
      `Every change, newest first, one a line: ${HISTORY_LIMIT.default} at a time, or --limit`,
      `${HISTORY_LIMIT.min}-${HISTORY_LIMIT.max}; stderr gives the command for the next page (--cursor)`,
    ],
    flags: { limit: 'optional', cursor: 'optional' },
    build: ({ json, values }) => ({
      kind: 'history',
      json,
      ...limitOf(values.limit),
      ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
    }),
  }),
  command({
    words: 'bypass list',
    section: API,
    summary: 'List the addresses that bypass maintenance, one a line',
    build: ({ json }) => ({ kind: 'bypass-list', json }),
  }),
  // The addresses go to the API as typed: its parser alone decides what is valid.
  command({
    words: 'bypass add',
    section: API,
    summary: 'Let these addresses through during maintenance (admin)',
    operands: 'CIDR',
    build: ({ json, operands }) => ({ kind: 'bypass-change', json, operation: 'add', cidrs: operands }),
  }),
  command({
    words: 'bypass remove',
    section: API,
    summary: 'Stop letting them through (admin)',
    operands: 'CIDR',
    build: ({ json, operands }) => ({ kind: 'bypass-change', json, operation: 'remove', cidrs: operands }),
  }),
  command({
    words: 'exempt list',
    section: API,
    summary: 'List the paths exempt from maintenance, one a line',
    build: ({ json }) => ({ kind: 'exempt-list', json }),
  }),
  // As for bypass: the paths go to the API as typed, and its one path rule decides.
  command({
    words: 'exempt add',
    section: API,
    summary: 'Let these paths through during maintenance (admin)',
    operands: 'PATH',
    build: ({ json, operands }) => ({ kind: 'exempt-change', json, operation: 'add', paths: operands }),
  }),
  command({
    words: 'exempt remove',
    section: API,
    summary: 'Stop letting them through (admin)',
    operands: 'PATH',
    build: ({ json, operands }) => ({ kind: 'exempt-change', json, operation: 'remove', paths: operands }),
  }),
  command({
    words: 'token create',
    section: TOKENS,
    summary: 'Mint a token; prints it alone on stdout, once',
    flags: { name: 'required', role: 'required', stage: 'optional' },
    build: ({ json, values }) => ({
      kind: 'token-create',
      json,
      name: values.name,
      role: roleOf(values.role),
      ...stageOf(values.stage),
    }),
  }),
  command({
    words: 'token list',
    section: TOKENS,
    summary: 'List tokens: name, role, creation time',
    flags: { stage: 'optional' },
    build: ({ json, values }) => ({ kind: 'token-list', json, ...stageOf(values.stage) }),
  }),
  command({
    words: 'token revoke',
    section: TOKENS,
    summary: 'Revoke a token',
    flags: { name: 'required', stage: 'optional' },
    build: ({ json, values }) => ({
      kind: 'token-revoke',
      json,
      name: values.name,
      ...stageOf(values.stage),
    }),
  }),
  command({
    words: 'slack grant',
    section: SLACK,
    summary: 'Let a Slack user act with this role (replaces theirs)',
    operands: 'USER_ID',
    flags: { role: 'required', stage: 'optional' },
    build: ({ json, values, operands: [userId] }) => ({
      kind: 'slack-grant',
      json,
      userId: userIdOf(userId),
      role: roleOf(values.role),
      ...stageOf(values.stage),
    }),
  }),
  command({
    words: 'slack revoke',
    section: SLACK,
    summary: "Take a Slack user's grant away",
    operands: 'USER_ID',
    flags: { stage: 'optional' },
    build: ({ json, values, operands: [userId] }) => ({
      kind: 'slack-revoke',
      json,
      userId: userIdOf(userId),
      ...stageOf(values.stage),
    }),
  }),
  command({
    words: 'slack list',
    section: SLACK,
    summary: 'List grants: user ID, role, grant time',
    flags: { stage: 'optional' },
    build: ({ json, values }) => ({ kind: 'slack-list', json, ...stageOf(values.stage) }),
  }),
  command({
    words: 'attach',
    section: WEB_ACL,
    summary: [
      "Reference the stage's rule group waf-maintenance-STAGE as the",
      "ACL's first rule (priority 0), restating the rest unchanged.",
      'Refuses when priority 0 is taken, unless --renumber shifts every',
      'existing rule down by one (0 -> 1, 5 -> 6), keeping their order',
    ],
    flags: { 'web-acl': 'required', renumber: 'optional', stage: 'optional' },
    build: ({ json, values }) => ({
      kind: 'attach',
      json,
      webAclArn: webAclOf(values['web-acl']),
      renumber: values.renumber === true,
      ...stageOf(values.stage),
    }),
  }),
  command({
    words: 'detach',
    section: WEB_ACL,
    summary: 'Remove that reference; every other rule keeps its priority',
    flags: { 'web-acl': 'required', stage: 'optional' },
    build: ({ json, values }) => ({
      kind: 'detach',
      json,
      webAclArn: webAclOf(values['web-acl']),
      ...stageOf(values.stage),
    }),
  }),
];
