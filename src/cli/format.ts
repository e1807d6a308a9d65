import type { Rule } from '@aws-sdk/client-wafv2';
import type { SetMaintenanceAnswer, StatusRead } from '../api/schemas';
import { bypassLinkUrl } from '../domain/bypass-link';
import { byPriority } from '../domain/rule-group-reference';
import type { SlackGrant } from '../ports/slack-grants';
import type { TokenRecord } from '../ports/token-registry';
import type { BypassChange, BypassList } from './api-client';

/**
 * One line saying where the switch stands, led by `lead` ("Maintenance is", "Maintenance is now", ...).
 *
 * @example
 * describeStatus(status) // 'Maintenance is ON (BLOCK) since 2026-01-01T10:00:00.000Z by ops: Deploy; Retry-After 1800 s'
 * // with endsAt: '...; Retry-After 1800 s; ends by itself at 2026-01-01T11:00:00.000Z'
 */
export function describeStatus(status: StatusRead, lead = 'Maintenance is'): string {
  let line = `${lead} ${status.enabled ? 'ON' : 'OFF'} (${status.action})`;
  if (status.changedAt) line += ` since ${status.changedAt}`;
  if (status.changedBy) line += ` by ${status.changedBy}`;
  if (status.reason) line += `: ${status.reason}`;
  if (status.enabled && status.retryAfterSeconds !== null)
    line += `; Retry-After ${status.retryAfterSeconds} s`;
  if (status.endsAt) line += `; ends by itself at ${status.endsAt}`;
  return line;
}

/** The answer to `on`/`off`: what it is now, and whether this call changed it. */
export function describeToggle(status: StatusRead & { changed: boolean }): string {
  return describeStatus(status, status.changed ? 'Maintenance is now' : 'Maintenance was already');
}

/**
 * The bypass link as the CLI shows it: `line` gives the link, in full when the site's address is known,
 * else the path, with a note for stderr on how to get the full URL.
 *
 * @example
 * bypassLinkLines('/__maintenance/bypass/abc', 'https://www.example.com')
 * // { line: 'Bypass link: https://www.example.com/__maintenance/bypass/abc', notes: [] }
 */
export function bypassLinkLines(
  path: string,
  siteUrl: string | null | undefined,
): { line: string; notes: string[] } {
  const url = bypassLinkUrl(path, siteUrl);
  if (url !== null) return { line: `Bypass link: ${url}`, notes: [] };
  return {
    line: `Bypass link: ${path}`,
    notes: [
      "maintenance: note: the bypass link is a path on the site; set MAINTENANCE_SITE_URL to the site's address (like https://www.example.com) to get it as a full URL.",
    ],
  };
}

/**
 * The one-line warning for whoever turned maintenance on from an address outside the bypass set: they get
 * the page like every visitor, and here is how not to.
 *
 * @example
 * lockOutWarning({ ip: '198.51.100.7', bypassed: false }, false)
 * // 'maintenance: warning: your address 198.51.100.7 is not in the bypass set, so you will get the maintenance page too; to see the site, run (admin): maintenance bypass add 198.51.100.7'
 */
export function lockOutWarning(
  caller: NonNullable<SetMaintenanceAnswer['caller']>,
  linkShown: boolean,
): string {
  const link = linkShown ? 'open the bypass link above, or ' : '';
  return `maintenance: warning: your address ${caller.ip} is not in the bypass set, so you will get the maintenance page too; to see the site, ${link}run (admin): maintenance bypass add ${caller.ip}`;
}

/** What a token listing may show: never the hash, let alone the token. */
export function publicToken(record: TokenRecord): { name: string; role: string; createdAt: string } {
  return { name: record.name, role: record.role, createdAt: record.createdAt };
}

/**
 * Rows as aligned columns two spaces apart: every column but the last padded to its widest cell, the last
 * left ragged.
 *
 * @example
 * table([['a', 'bb', 'x'], ['ccc', 'd', 'y']]) // 'a    bb  x\nccc  d   y'
 */
export function table(rows: readonly (readonly string[])[]): string {
  const last = Math.max(0, ...rows.map((row) => row.length)) - 1;
  const widths = Array.from({ length: last }, (_, col) =>
    Math.max(...rows.map((row) => row[col]?.length ?? 0)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col < last ? cell.padEnd(widths[col] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Tokens as an aligned table with a header row. */
export function tokenTable(records: TokenRecord[]): string {
  return table([
    ['NAME', 'ROLE', 'CREATED'],
    ...records.map((r): [string, string, string] => [r.name, r.role, r.createdAt]),
  ]);
}

/**
 * Slack grants as an aligned table with a header row.
 *
 * @example
 * slackGrantTable([{ userId: 'U024BE7LH', role: 'admin', grantedAt: '2026-03-01T10:00:00.000Z' }])
 * // 'USER ID    ROLE   GRANTED\nU024BE7LH  admin  2026-03-01T10:00:00.000Z'
 */
export function slackGrantTable(grants: SlackGrant[]): string {
  return table([
    ['USER ID', 'ROLE', 'GRANTED'],
    ...grants.map((g): [string, string, string] => [g.userId, g.role, g.grantedAt]),
  ]);
}

function addresses(count: number): string {
  return `${count} ${count === 1 ? 'address' : 'addresses'}`;
}

/**
 * The summary of a bypass listing, for stderr: stdout carries the addresses alone, one a line.
 *
 * @example
 * bypassSummary(list) // '2 addresses bypass maintenance (IPv4: 1 of 10000, IPv6: 1 of 10000)'
 */
export function bypassSummary(list: BypassList): string {
  const v4 = list.addresses.filter((a) => a.version === 4).length;
  const v6 = list.addresses.filter((a) => a.version === 6).length;
  const verb = list.count === 1 ? 'bypasses' : 'bypass';
  return `${addresses(list.count)} ${verb} maintenance (IPv4: ${v4} of ${list.limit}, IPv6: ${v6} of ${list.limit})`;
}

/**
 * Which address the user typed became which canonical one, where that is certain without parsing:
 * a typed address the API answered unchanged is its own canonical form (canonical forms are fixed
 * points), so if exactly one typed address and one answered address are left over, they belong together.
 */
function originsOf(answered: string[], typed: string[]): { from: Map<string, string>; unpaired: string[] } {
  const typedSet = new Set(typed);
  const answeredSet = new Set(answered);
  const newForms = answered.filter((cidr) => !typedSet.has(cidr));
  const rewritten = [...typedSet].filter((cidr) => !answeredSet.has(cidr));
  const [form] = newForms;
  const [original] = rewritten;
  if (newForms.length === 1 && rewritten.length === 1 && form !== undefined && original !== undefined) {
    return { from: new Map([[form, original]]), unpaired: [] };
  }
  return { from: new Map(), unpaired: rewritten };
}

/**
 * What a bypass change did to each address, one a line, then the size of the set.
 *
 * @example
 * describeBypassChange({ added: ['198.51.100.0/24'], removed: [], unchanged: [], count: 3 }, 'add', ['198.51.100.77/24'])
 * // 'added 198.51.100.0/24 (from 198.51.100.77/24)\nThe bypass set now holds 3 addresses.'
 */
export function describeBypassChange(
  change: BypassChange,
  operation: 'add' | 'remove',
  typed: string[],
): string {
  const { from, unpaired } = originsOf([...change.added, ...change.removed, ...change.unchanged], typed);
  const named = (cidr: string) => (from.has(cidr) ? `${cidr} (from ${from.get(cidr)})` : cidr);
  const why = operation === 'add' ? 'already in the bypass set' : 'not in the bypass set';
  const lines = [
    ...change.added.map((cidr) => `added ${named(cidr)}`),
    ...change.removed.map((cidr) => `removed ${named(cidr)}`),
    ...change.unchanged.map((cidr) => `unchanged ${named(cidr)}: ${why}`),
  ];
  if (unpaired.length > 0) lines.push(`Given as ${unpaired.join(', ')}; shown above in canonical form.`);
  lines.push(`The bypass set now holds ${addresses(change.count)}.`);
  return lines.join('\n');
}

/**
 * The address the user typed at the position a field of the answer names (`add[2]`: the third address
 * typed after `bypass add`), or undefined when the field names the other list or no position at all.
 *
 * @example
 * typedAt('add[1]', 'add', ['10.0.0.0/8', '999.1.1.1']) // '999.1.1.1'
 * typedAt('add', 'add', ['10.0.0.0/8']) // undefined
 */
export function typedAt(field: string, operation: 'add' | 'remove', typed: string[]): string | undefined {
  const match = /^(add|remove)\[(\d+)\]$/.exec(field);
  return match?.[1] === operation ? typed[Number(match[2])] : undefined;
}

/**
 * One line for stderr per warning of a bypass change: the position, the canonical form (with what was
 * typed when that differs), and why the entry never matches. Empty when the API sent none.
 *
 * @example
 * bypassWarningLines({ ...change, warnings: [{ field: 'add[0]', cidr: '10.1.2.3/32', range: 'private', message: 'lies in a private range (RFC 1918); ...' }] }, 'add', ['10.1.2.3'])
 * // ['maintenance: warning: add[0] 10.1.2.3/32 (from 10.1.2.3) lies in a private range (RFC 1918); ....']
 */
export function bypassWarningLines(
  change: BypassChange,
  operation: 'add' | 'remove',
  typed: string[],
): string[] {
  return (change.warnings ?? []).map(({ field, cidr, message }) => {
    const given = typedAt(field, operation, typed);
    const from = given !== undefined && given !== cidr ? ` (from ${given})` : '';
    return `maintenance: warning: ${field} ${cidr}${from} ${message}.`;
  });
}

/** The doctor's verdict: the status line, then each problem, or that all checks passed. */
export function describeDoctor(report: StatusRead & { effective?: boolean; problems?: string[] }): string {
  const problems = report.problems ?? [];
  const verdict =
    report.effective === true
      ? 'Effective: every web ACL that should carry the switch references its rule group first and has a distribution; turning maintenance on would show visitors the page.'
      : `Not effective:\n${problems.map((p) => `  - ${p}`).join('\n') || '  - the API did not report the edge checks'}`;
  return `${describeStatus(report)}\n${verdict}`;
}

/** What `attach` or `detach` did to a web ACL; `--json` prints it with each rule as `{name, priority}`. */
export interface AttachmentReport {
  webAcl: string;
  ruleGroup: string;
  changed: boolean;
  /** attach only: whether the reference is new (rather than an existing one repaired). */
  added?: boolean;
  /** What changed, in words; empty when nothing did. */
  done: string[];
  /** The ACL's rules afterwards. */
  rules: Rule[];
  warnings: string[];
}

/** A WCU count as people read it: `1,550 WCUs`. */
export function wcus(count: number): string {
  return `${count.toLocaleString('en-US')} WCUs`;
}

/** How many rules the order line shows: the switch's place is at the front, so the first few say it. */
const RULES_SHOWN = 5;

/**
 * The first rules of a web ACL in the order WAF evaluates them, each by priority and name.
 *
 * @example
 * ruleOrder(rules) // 'Evaluation order: 0 waf-maintenance-prod, 1 block-bad-bots, 6 rate-limit.'
 */
export function ruleOrder(rules: readonly Rule[]): string {
  if (rules.length === 0) return 'Evaluation order: no rules, only the default action.';
  const ordered = byPriority(rules);
  const shown = ordered.slice(0, RULES_SHOWN).map((rule) => `${rule.Priority ?? 0} ${rule.Name}`);
  const more = ordered.length > RULES_SHOWN ? `, and ${ordered.length - RULES_SHOWN} more` : '';
  return `Evaluation order: ${shown.join(', ')}${more}.`;
}

/**
 * The two lines of an attach: what it did (or that the ACL already carried the switch), then the order.
 *
 * @example
 * describeAttach(report, 'site', 'waf-maintenance-prod')
 * // 'Attached waf-maintenance-prod to web ACL site: added waf-maintenance-prod at priority 0.\nEvaluation order: ...'
 */
export function describeAttach(report: AttachmentReport, aclName: string, groupName: string): string {
  return `${attachSummary(report, aclName, groupName)}\n${ruleOrder(report.rules)}`;
}

function attachSummary(report: AttachmentReport, aclName: string, groupName: string): string {
  const done = report.done.join('; ');
  if (!report.changed) {
    return `Web ACL ${aclName} already evaluates rule group ${groupName} first, with OverrideAction None; nothing changed.`;
  }
  if (report.added) return `Attached ${groupName} to web ACL ${aclName}: ${done}.`;
  return `Repaired web ACL ${aclName}'s reference to ${groupName}: ${done}.`;
}

/** The two lines of a detach: what it removed (or that there was nothing to), then the order. */
export function describeDetach(report: AttachmentReport, aclName: string, groupName: string): string {
  const what = report.changed
    ? `Detached ${groupName} from web ACL ${aclName}: ${report.done.join('; ')}.`
    : `Web ACL ${aclName} does not reference rule group ${groupName}; nothing changed.`;
  return `${what}\n${ruleOrder(report.rules)}`;
}
