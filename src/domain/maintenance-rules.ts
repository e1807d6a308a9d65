import type { CustomResponseBody, Rule, RuleAction, WebACL } from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from './errors';
import { type MaintenancePageInput, renderMaintenanceHtml, renderMaintenanceJson } from './maintenance-page';

/**
 * The switch owns the rules named `maintenance-...` (provisioned in serverless.yml at the lowest priorities)
 * and the custom response bodies keyed `maintenance-...`. It rewrites only their action, their change label
 * and the bodies' content; everything else in the web ACL passes through untouched.
 */
export const MAINTENANCE_PREFIX = 'maintenance-';
/** The HTML rule: its action is the switch's position. */
export const MAINTENANCE_RULE_NAME = 'maintenance-block';
export const MAINTENANCE_BODY_KEY = 'maintenance-html';
/** The rule for clients that accept JSON (evaluated first), answered with problem+json. */
export const MAINTENANCE_JSON_RULE_NAME = 'maintenance-json';
export const MAINTENANCE_JSON_BODY_KEY = 'maintenance-json';

type OwnedBody = {
  ContentType: 'TEXT_HTML' | 'APPLICATION_JSON';
  render: (input: MaintenancePageInput) => string;
};

/** The bodies the switch owns and renders at every toggle, by key. */
const OWNED_BODIES: Record<string, OwnedBody> = {
  [MAINTENANCE_BODY_KEY]: { ContentType: 'TEXT_HTML', render: renderMaintenanceHtml },
  [MAINTENANCE_JSON_BODY_KEY]: { ContentType: 'APPLICATION_JSON', render: renderMaintenanceJson },
};

/** Which body each maintenance rule answers with; any other `maintenance-...` rule gets the HTML page. */
function bodyKeyOf(ruleName: string | undefined): string {
  return ruleName === MAINTENANCE_JSON_RULE_NAME ? MAINTENANCE_JSON_BODY_KEY : MAINTENANCE_BODY_KEY;
}

/**
 * The maintenance rule carries a label naming the change record that set it. The label is written in the
 * same UpdateWebACL as the action, so the ACL and its "who/why" can never disagree, however writers race.
 * WAF's label rules (moto checks none of them): `[0-9A-Za-z_\-:]`, at most 5 namespaces, each part at most
 * 128 characters, and none of the reserved words aws, waf, managed, rulegroup, webacl, regexpatternset,
 * ipset (WAFv2 API reference, Rule.RuleLabels).
 */
export const CHANGE_LABEL_PREFIX = 'maintenance-switch:change:';

export interface MaintenanceRuleState {
  enabled: boolean;
  retryAfterSeconds: number | null;
  changeId: string | null;
}

export interface DesiredMaintenance {
  enabled: boolean;
  retryAfterSeconds: number;
  reason: string | null;
}

export function isMaintenanceRule(rule: Rule): boolean {
  return rule.Name?.startsWith(MAINTENANCE_PREFIX) ?? false;
}

function maintenanceRules(acl: WebACL): Rule[] {
  const rules = (acl.Rules ?? []).filter(isMaintenanceRule);
  if (!rules.some((rule) => rule.Name === MAINTENANCE_RULE_NAME)) {
    throw new MisconfiguredError(
      `Web ACL ${acl.Name ?? '?'} has no rule named ${MAINTENANCE_RULE_NAME}; redeploy the stack to restore it.`,
    );
  }
  return rules;
}

/** Reads the switch's position from the ACL: BLOCK means on. */
export function readMaintenanceRule(acl: WebACL): MaintenanceRuleState {
  const rule = maintenanceRules(acl).find((r) => r.Name === MAINTENANCE_RULE_NAME) as Rule;
  const block = rule.Action?.Block;
  const header = block?.CustomResponse?.ResponseHeaders?.find((h) => h.Name?.toLowerCase() === 'retry-after');
  const retryAfter = header?.Value === undefined ? Number.NaN : Number.parseInt(header.Value, 10);
  const label = rule.RuleLabels?.find((l) => l.Name?.startsWith(CHANGE_LABEL_PREFIX));
  return {
    enabled: block !== undefined,
    retryAfterSeconds: block && Number.isInteger(retryAfter) ? retryAfter : null,
    changeId: label?.Name?.slice(CHANGE_LABEL_PREFIX.length) ?? null,
  };
}

/** The action a maintenance rule takes in the desired position, answering with the body `bodyKey`. */
export function maintenanceAction(desired: DesiredMaintenance, bodyKey = MAINTENANCE_BODY_KEY): RuleAction {
  if (!desired.enabled) return { Count: {} };
  return {
    Block: {
      CustomResponse: {
        ResponseCode: 503,
        CustomResponseBodyKey: bodyKey,
        ResponseHeaders: [
          { Name: 'Retry-After', Value: String(desired.retryAfterSeconds) },
          { Name: 'Cache-Control', Value: 'no-store' },
        ],
      },
    },
  };
}

/**
 * The owned bodies the ACL's maintenance rules answer with, rendered for the desired reason and Retry-After
 * (escaped for HTML and JSON, <= 4 KB).
 */
function maintenanceBodies(acl: WebACL, desired: DesiredMaintenance): Record<string, CustomResponseBody> {
  const input = { reason: desired.reason, retryAfterSeconds: desired.retryAfterSeconds };
  const used = new Set(maintenanceRules(acl).map((rule) => bodyKeyOf(rule.Name)));
  return Object.fromEntries(
    Object.entries(OWNED_BODIES)
      .filter(([key]) => used.has(key))
      .map(([key, { ContentType, render }]) => [key, { ContentType, Content: render(input) }]),
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether the ACL already blocks or counts exactly as desired (the change label aside).
 * When off, the bodies are irrelevant: nothing shows them.
 */
export function isAlreadyAsDesired(acl: WebACL, desired: DesiredMaintenance): boolean {
  const actionsMatch = maintenanceRules(acl).every((rule) =>
    sameJson(rule.Action, maintenanceAction(desired, bodyKeyOf(rule.Name))),
  );
  if (!actionsMatch || !desired.enabled) return actionsMatch;
  const bodies = maintenanceBodies(acl, desired);
  return Object.keys(bodies).every((key) => sameJson(acl.CustomResponseBodies?.[key], bodies[key]));
}

/**
 * Returns a copy of the ACL with the maintenance rules switched and labelled with `changeId`, and the owned
 * bodies rendered for the desired reason. Other rules, their order and every other field are carried over as
 * they are (the adapter sends the whole document back, since UpdateWebACL replaces it).
 */
export function applyMaintenance(acl: WebACL, desired: DesiredMaintenance, changeId: string): WebACL {
  maintenanceRules(acl);
  const rules = (acl.Rules ?? []).map((rule) => {
    if (!isMaintenanceRule(rule)) return rule;
    const foreignLabels = (rule.RuleLabels ?? []).filter((l) => !l.Name?.startsWith(CHANGE_LABEL_PREFIX));
    return {
      ...rule,
      Action: maintenanceAction(desired, bodyKeyOf(rule.Name)),
      RuleLabels: [...foreignLabels, { Name: `${CHANGE_LABEL_PREFIX}${changeId}` }],
    };
  });
  const bodies = desired.enabled
    ? { ...acl.CustomResponseBodies, ...maintenanceBodies(acl, desired) }
    : acl.CustomResponseBodies;
  return { ...acl, Rules: rules, ...(bodies ? { CustomResponseBodies: bodies } : {}) };
}
