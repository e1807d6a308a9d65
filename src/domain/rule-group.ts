import type {
  CustomResponseBody,
  Rule,
  RuleAction,
  RuleGroup,
  Statement,
  VisibilityConfig,
} from '@aws-sdk/client-wafv2';
import {
  BYPASS_LINK_RULE_NAME,
  bypassLinkRule,
  newBypassSecret,
  readSecret,
  secretStatements,
} from './bypass-link';
import { MisconfiguredError } from './errors';
import {
  type MaintenancePageInput,
  type PageStyle,
  renderMaintenanceHtml,
  renderMaintenanceJson,
} from './maintenance-page';
import { DEFAULT_RETRY_AFTER_SECONDS } from './maintenance-status';
import { checkExemptPath, type ExemptPath } from './values';
import { byteMatch, searchText } from './waf-statements';

/**
 * The rule group the switch owns, one per stage: its whole document is a function of the switch's live
 * state (`SwitchState`), so every write restates it whole, as UpdateRuleGroup requires, and a redeploy
 * can rebuild the rules from the code while keeping the state.
 *
 * Rules, in the order WAF evaluates them:
 * 0. `maintenance-bypass-link` (on only): the secret link's 302, which sets the bypass cookie (bypass-link.ts).
 * 1. `maintenance-pass` (Count): labels what maintenance lets through: a source address in either bypass
 *    IP set, the page's own assets under /maintenance/, the exempt paths, and (on only) the secret in the
 *    bypass cookie or header.
 * 2. `maintenance-json`: requests that accept JSON and carry no pass label get the problem+json body.
 * 3. `maintenance-block`: every other request without the pass label gets the HTML page.
 * Off, rules 2 and 3 Count; on, they Block with a 503 and Retry-After. A Block inside a rule group ends
 * the web ACL's evaluation, answered with the group's own custom response bodies.
 */

/** Fixed at creation (WAF cannot change it): room for the rules below and those planned (see the README). */
export const RULE_GROUP_CAPACITY = 100;
/**
 * Bumped whenever the group's rules change shape. serverless.yml passes the same number to the custom
 * resource (`RulesRevision`; a test checks they agree), so a deploy of new rules reaches the live group.
 */
export const RULES_REVISION = 3;

export const RULE_PREFIX = 'maintenance-';
export const PASS_RULE_NAME = 'maintenance-pass';
export const JSON_RULE_NAME = 'maintenance-json';
export const HTML_RULE_NAME = 'maintenance-block';
export const HTML_BODY_KEY = 'maintenance-html';
export const JSON_BODY_KEY = 'maintenance-json';
/** Added by the pass rule; unqualified, it matches labels of the same rule group. */
export const PASS_LABEL = 'maintenance-switch:pass';
/**
 * The maintenance rules carry a label naming the change record that set them, written in the same
 * UpdateRuleGroup as the action, so the group and its "who/why" can never disagree. WAF's label rules
 * (moto checks none): `[0-9A-Za-z_\-:]`, at most 5 namespaces, each part at most 128 characters, and
 * none of aws, waf, managed, rulegroup, webacl, regexpatternset, ipset (WAFv2 API reference, Rule.RuleLabels).
 */
export const CHANGE_LABEL_PREFIX = 'maintenance-switch:change:';
/** The page's assets: never blocked, so the maintenance page itself can load them. */
export const SITE_PATH_PREFIX = '/maintenance/';

export type BodyKey = typeof HTML_BODY_KEY | typeof JSON_BODY_KEY;

/** Everything of the switch that lives in the rule group, and nowhere else. */
export interface SwitchState {
  /** The bypass IP sets the pass rule references. */
  ipSets: { v4: string; v6: string };
  enabled: boolean;
  /** Retry-After while on; null while off. */
  retryAfterSeconds: number | null;
  /** The change record the maintenance rules are labelled with; null before the first change. */
  changeId: string | null;
  /** The bodies as last rendered (while off, nothing shows them). */
  bodies: Record<BodyKey, CustomResponseBody>;
  /** Paths that reach the origin whatever maintenance does, in the order listed. */
  exemptions: ExemptPath[];
  /** The secret of the bypass link, cookie and header: drawn when maintenance turns on, null while off. */
  bypassSecret: string | null;
}

export interface DesiredMaintenance {
  enabled: boolean;
  retryAfterSeconds: number;
  reason: string | null;
}

/** The mutable part of a rule group: what UpdateRuleGroup replaces. */
export interface RuleGroupDocument {
  Description: string;
  VisibilityConfig: VisibilityConfig;
  Rules: Rule[];
  CustomResponseBodies: Record<string, CustomResponseBody>;
}

const visibility = (metricName: string, sampled = true): VisibilityConfig => ({
  SampledRequestsEnabled: sampled,
  CloudWatchMetricsEnabled: true,
  MetricName: metricName,
});

/**
 * Rules whose sampled requests would show the bypass secret: GetSampledRequests returns each sample's URI
 * and all its headers (HTTPRequest, WAFv2 API reference), so the link's path, the cookie and the header.
 * They are not sampled; the maintenance rules only see requests without a valid secret, and stay sampled.
 */
const UNSAMPLED_RULES: ReadonlySet<string> = new Set([BYPASS_LINK_RULE_NAME, PASS_RULE_NAME]);

function renderBodies(input: MaintenancePageInput, style: PageStyle): Record<BodyKey, CustomResponseBody> {
  return {
    [HTML_BODY_KEY]: { ContentType: 'TEXT_HTML', Content: renderMaintenanceHtml(input, style) },
    [JSON_BODY_KEY]: { ContentType: 'APPLICATION_JSON', Content: renderMaintenanceJson(input) },
  };
}

/** A new group's state: off, no change yet, bodies rendered without a reason. */
export function initialState(ipSets: SwitchState['ipSets'], style: PageStyle): SwitchState {
  return {
    ipSets,
    enabled: false,
    retryAfterSeconds: null,
    changeId: null,
    bodies: renderBodies({ reason: null, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS }, style),
    exemptions: [],
    bypassSecret: null,
  };
}

function maintenanceAction(state: SwitchState, bodyKey: BodyKey): RuleAction {
  if (!state.enabled) return { Count: {} };
  return {
    Block: {
      CustomResponse: {
        ResponseCode: 503,
        CustomResponseBodyKey: bodyKey,
        ResponseHeaders: [
          { Name: 'Retry-After', Value: String(state.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) },
          { Name: 'Cache-Control', Value: 'no-store' },
        ],
      },
    },
  };
}

const NOT_PASSED: Statement = {
  NotStatement: { Statement: { LabelMatchStatement: { Scope: 'LABEL', Key: PASS_LABEL } } },
};

/**
 * A path that climbs out of where it starts: `/..` anywhere, also percent-encoded (`/%2e%2e/`, `/..%2f`),
 * since WAF matches the path as the request carries it and an origin resolves dot segments after it. One
 * CONTAINS match with URL_DECODE: 10 + 10 WCUs, once, whatever the number of exempt paths.
 */
export const CLIMBS_OUT: Statement = {
  ByteMatchStatement: {
    FieldToMatch: { UriPath: {} },
    PositionalConstraint: 'CONTAINS',
    SearchString: new TextEncoder().encode('/..'),
    TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
  },
};

/**
 * The paths that pass: the page's own `/maintenance/` and the exempt paths, unless the path climbs out of
 * them (`/api/webhooks/../admin` would match the prefix and reach the origin's `/admin`).
 */
function pathsStatement(state: SwitchState): Statement {
  const paths = [
    byteMatch({ UriPath: {} }, 'STARTS_WITH', SITE_PATH_PREFIX),
    ...state.exemptions.map((e) => byteMatch({ UriPath: {} }, e.match, e.value)),
  ];
  const anyPath: Statement =
    paths.length === 1 ? (paths[0] as Statement) : { OrStatement: { Statements: paths } };
  return { AndStatement: { Statements: [{ NotStatement: { Statement: CLIMBS_OUT } }, anyPath] } };
}

function passStatement(state: SwitchState): Statement {
  return {
    OrStatement: {
      Statements: [
        { IPSetReferenceStatement: { ARN: state.ipSets.v4 } },
        { IPSetReferenceStatement: { ARN: state.ipSets.v6 } },
        pathsStatement(state),
        ...(state.bypassSecret ? secretStatements(state.bypassSecret) : []),
      ],
    },
  };
}

/** The path matches inside the pass rule's statement (under its AND and OR), for reading the state back. */
function pathMatches(passes: Statement[]): Statement[] {
  return passes.flatMap((statement) => {
    const nested = statement.AndStatement?.Statements ?? statement.OrStatement?.Statements;
    return nested ? pathMatches(nested) : [statement];
  });
}

const ACCEPTS_JSON: Statement = {
  ByteMatchStatement: {
    FieldToMatch: { SingleHeader: { Name: 'accept' } },
    PositionalConstraint: 'CONTAINS',
    SearchString: new TextEncoder().encode('application/json'),
    TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
  },
};

/**
 * The whole mutable document of the group for a state: what CreateRuleGroup and UpdateRuleGroup send.
 *
 * @example
 * const document = ruleGroupDocument('waf-maintenance-prod', initialState(ipSets, 'hosted'));
 */
export function ruleGroupDocument(name: string, state: SwitchState): RuleGroupDocument {
  const changeLabels = state.changeId ? [{ Name: `${CHANGE_LABEL_PREFIX}${state.changeId}` }] : [];
  const link = state.enabled && state.bypassSecret ? [bypassLinkRule(state.bypassSecret)] : [];
  const rules: Array<Omit<Rule, 'Priority' | 'VisibilityConfig'>> = [
    ...link,
    {
      Name: PASS_RULE_NAME,
      Action: { Count: {} },
      RuleLabels: [{ Name: PASS_LABEL }],
      Statement: passStatement(state),
    },
    {
      Name: JSON_RULE_NAME,
      Action: maintenanceAction(state, JSON_BODY_KEY),
      RuleLabels: changeLabels,
      Statement: { AndStatement: { Statements: [ACCEPTS_JSON, NOT_PASSED] } },
    },
    {
      Name: HTML_RULE_NAME,
      Action: maintenanceAction(state, HTML_BODY_KEY),
      RuleLabels: changeLabels,
      Statement: NOT_PASSED,
    },
  ];
  return {
    Description: `The maintenance switch of ${name}: managed by waf-maintenance, do not edit by hand`,
    VisibilityConfig: visibility(name),
    // Evaluated in this order: priorities are the positions.
    Rules: rules.map((rule, priority) => ({
      ...rule,
      Priority: priority,
      VisibilityConfig: visibility(rule.Name ?? '', !UNSAMPLED_RULES.has(rule.Name ?? '')),
    })),
    CustomResponseBodies: { ...state.bodies },
  };
}

function ruleNamed(group: RuleGroup, name: string): Rule {
  const rule = group.Rules?.find((r) => r.Name === name);
  if (!rule) {
    throw new MisconfiguredError(
      `Rule group ${group.Name ?? '?'} has no rule ${name}; redeploy the stack to restore it.`,
    );
  }
  return rule;
}

function bodyOf(group: RuleGroup, key: BodyKey): CustomResponseBody {
  const body = group.CustomResponseBodies?.[key];
  if (!body?.Content || !body.ContentType) {
    throw new MisconfiguredError(
      `Rule group ${group.Name ?? '?'} has no body ${key}; redeploy the stack to restore it.`,
    );
  }
  return body;
}

/**
 * Reads the switch's state back out of its rule group as GetRuleGroup returns it. Throws
 * MisconfiguredError when a rule or body the switch needs is missing.
 */
export function readSwitchState(group: RuleGroup): SwitchState {
  const passes = ruleNamed(group, PASS_RULE_NAME).Statement?.OrStatement?.Statements ?? [];
  const ipSets = passes
    .map((s) => s.IPSetReferenceStatement?.ARN)
    .filter((arn): arn is string => arn !== undefined);
  const [v4, v6] = ipSets;
  if (!v4 || !v6) {
    throw new MisconfiguredError(
      `Rule group ${group.Name ?? '?'} does not reference both bypass IP sets; redeploy the stack to restore it.`,
    );
  }
  const rule = ruleNamed(group, HTML_RULE_NAME);
  ruleNamed(group, JSON_RULE_NAME);
  const block = rule.Action?.Block;
  const header = block?.CustomResponse?.ResponseHeaders?.find((h) => h.Name?.toLowerCase() === 'retry-after');
  const retryAfter = header?.Value === undefined ? Number.NaN : Number.parseInt(header.Value, 10);
  const label = rule.RuleLabels?.find((l) => l.Name?.startsWith(CHANGE_LABEL_PREFIX));
  return {
    ipSets: { v4, v6 },
    enabled: block !== undefined,
    retryAfterSeconds: block && Number.isInteger(retryAfter) ? retryAfter : null,
    changeId: label?.Name?.slice(CHANGE_LABEL_PREFIX.length) ?? null,
    bodies: { [HTML_BODY_KEY]: bodyOf(group, HTML_BODY_KEY), [JSON_BODY_KEY]: bodyOf(group, JSON_BODY_KEY) },
    exemptions: readExemptions(pathMatches(passes)),
    bypassSecret: block ? readSecret(passes) : null,
  };
}

/**
 * The exempt paths among the pass rule's statements: its byte matches on the URI path other than the
 * page's own prefix, read back through the one path rule (a path someone edited in by hand that the
 * rule refuses is dropped, and the next write of the group leaves it out).
 */
function readExemptions(passes: Statement[]): ExemptPath[] {
  return passes.flatMap((statement) => {
    const constraint = statement.ByteMatchStatement?.PositionalConstraint;
    const value = searchText(statement);
    if (!statement.ByteMatchStatement?.FieldToMatch?.UriPath || value === null) return [];
    if (constraint === 'STARTS_WITH' && value === SITE_PATH_PREFIX) return [];
    if (constraint !== 'EXACTLY' && constraint !== 'STARTS_WITH') return [];
    const checked = checkExemptPath(constraint === 'STARTS_WITH' ? `${value}*` : value);
    return checked.ok ? [checked.value] : [];
  });
}

/** The state with these exempt paths (in this order); nothing else changes. */
export function withExemptions(state: SwitchState, exemptions: ExemptPath[]): SwitchState {
  return { ...state, exemptions };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The state with maintenance as desired and labelled with `changeId`; the bodies rendered when turning on.
 * Turning on draws a new bypass secret; staying on keeps the one already handed out; turning off retires it.
 */
export function withMaintenance(
  state: SwitchState,
  desired: DesiredMaintenance,
  changeId: string,
  style: PageStyle,
  newSecret: () => string = newBypassSecret,
): SwitchState {
  const keepsSecret = desired.enabled && state.enabled && state.bypassSecret !== null;
  return {
    ...state,
    enabled: desired.enabled,
    retryAfterSeconds: desired.enabled ? desired.retryAfterSeconds : null,
    changeId,
    bodies: desired.enabled ? renderBodies(desired, style) : state.bodies,
    bypassSecret: keepsSecret ? state.bypassSecret : desired.enabled ? newSecret() : null,
  };
}

/** Whether the group already answers as desired (the change label aside). When off, the bodies show nowhere. */
export function isAlreadyAsDesired(
  state: SwitchState,
  desired: DesiredMaintenance,
  style: PageStyle,
): boolean {
  if (state.enabled !== desired.enabled) return false;
  if (!desired.enabled) return true;
  return (
    state.bypassSecret !== null &&
    state.retryAfterSeconds === desired.retryAfterSeconds &&
    sameJson(state.bodies, renderBodies(desired, style))
  );
}
