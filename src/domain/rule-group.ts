import type {
  CustomResponseBody,
  Rule,
  RuleAction,
  RuleGroup,
  Statement,
  VisibilityConfig,
} from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from './errors';
import {
  type MaintenancePageInput,
  type PageStyle,
  renderMaintenanceHtml,
  renderMaintenanceJson,
} from './maintenance-page';
import { DEFAULT_RETRY_AFTER_SECONDS } from './maintenance-status';

/**
 * The rule group the switch owns, one per stage: its whole document is a function of the switch's live
 * state (`SwitchState`), so every write restates it whole, as UpdateRuleGroup requires, and a redeploy
 * can rebuild the rules from the code while keeping the state.
 *
 * Rules, in the order WAF evaluates them:
 * 0. `maintenance-pass` (Count): labels what maintenance lets through: a source address in either bypass
 *    IP set, or the page's own assets under /maintenance/.
 * 1. `maintenance-json`: requests that accept JSON and carry no pass label get the problem+json body.
 * 2. `maintenance-block`: every other request without the pass label gets the HTML page.
 * Off, rules 1 and 2 Count; on, they Block with a 503 and Retry-After. A Block inside a rule group ends
 * the web ACL's evaluation, answered with the group's own custom response bodies.
 */

/** Fixed at creation (WAF cannot change it): room for the rules below and those planned (see the README). */
export const RULE_GROUP_CAPACITY = 100;
/**
 * Bumped whenever the group's rules change shape. serverless.yml passes the same number to the custom
 * resource (`RulesRevision`; a test checks they agree), so a deploy of new rules reaches the live group.
 */
export const RULES_REVISION = 1;

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

const visibility = (metricName: string): VisibilityConfig => ({
  SampledRequestsEnabled: true,
  CloudWatchMetricsEnabled: true,
  MetricName: metricName,
});

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

function passStatement(state: SwitchState): Statement {
  return {
    OrStatement: {
      Statements: [
        { IPSetReferenceStatement: { ARN: state.ipSets.v4 } },
        { IPSetReferenceStatement: { ARN: state.ipSets.v6 } },
        {
          ByteMatchStatement: {
            FieldToMatch: { UriPath: {} },
            PositionalConstraint: 'STARTS_WITH',
            SearchString: new TextEncoder().encode(SITE_PATH_PREFIX),
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        },
      ],
    },
  };
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
  return {
    Description: `The maintenance switch of ${name}: managed by waf-maintenance, do not edit by hand`,
    VisibilityConfig: visibility(name),
    Rules: [
      {
        Name: PASS_RULE_NAME,
        Priority: 0,
        Action: { Count: {} },
        RuleLabels: [{ Name: PASS_LABEL }],
        Statement: passStatement(state),
        VisibilityConfig: visibility(PASS_RULE_NAME),
      },
      {
        Name: JSON_RULE_NAME,
        Priority: 1,
        Action: maintenanceAction(state, JSON_BODY_KEY),
        RuleLabels: changeLabels,
        Statement: { AndStatement: { Statements: [ACCEPTS_JSON, NOT_PASSED] } },
        VisibilityConfig: visibility(JSON_RULE_NAME),
      },
      {
        Name: HTML_RULE_NAME,
        Priority: 2,
        Action: maintenanceAction(state, HTML_BODY_KEY),
        RuleLabels: changeLabels,
        Statement: NOT_PASSED,
        VisibilityConfig: visibility(HTML_RULE_NAME),
      },
    ],
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
  const ipSets = (ruleNamed(group, PASS_RULE_NAME).Statement?.OrStatement?.Statements ?? [])
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
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The state with maintenance as desired and labelled with `changeId`; the bodies rendered when turning on. */
export function withMaintenance(
  state: SwitchState,
  desired: DesiredMaintenance,
  changeId: string,
  style: PageStyle,
): SwitchState {
  return {
    ...state,
    enabled: desired.enabled,
    retryAfterSeconds: desired.enabled ? desired.retryAfterSeconds : null,
    changeId,
    bodies: desired.enabled ? renderBodies(desired, style) : state.bodies,
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
    state.retryAfterSeconds === desired.retryAfterSeconds &&
    sameJson(state.bodies, renderBodies(desired, style))
  );
}
