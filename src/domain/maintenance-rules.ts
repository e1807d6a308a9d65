import type { CustomResponseBody, Rule, RuleAction, WebACL } from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from './errors';
import { renderMaintenanceBody } from './maintenance-page';

/**
 * The switch owns the rules named `maintenance-...` (provisioned in serverless.yml at the lowest priorities)
 * and the custom response bodies keyed `maintenance-...`. It rewrites only their action, their change label
 * and the bodies' content; everything else in the web ACL passes through untouched.
 */
export const MAINTENANCE_PREFIX = 'maintenance-';
export const MAINTENANCE_RULE_NAME = 'maintenance-block';
export const MAINTENANCE_BODY_KEY = 'maintenance-html';

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

/** The action a maintenance rule takes in the desired position. */
export function maintenanceAction(desired: DesiredMaintenance): RuleAction {
  if (!desired.enabled) return { Count: {} };
  return {
    Block: {
      CustomResponse: {
        ResponseCode: 503,
        CustomResponseBodyKey: MAINTENANCE_BODY_KEY,
        ResponseHeaders: [
          { Name: 'Retry-After', Value: String(desired.retryAfterSeconds) },
          { Name: 'Cache-Control', Value: 'no-store' },
        ],
      },
    },
  };
}

function maintenanceBody(desired: DesiredMaintenance): CustomResponseBody {
  return {
    ContentType: 'TEXT_HTML',
    Content: renderMaintenanceBody({ reason: desired.reason, retryAfterSeconds: desired.retryAfterSeconds }),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether the ACL already blocks or counts exactly as desired (the change label aside).
 * When off, the body is irrelevant: nothing shows it.
 */
export function isAlreadyAsDesired(acl: WebACL, desired: DesiredMaintenance): boolean {
  const actionMatches = maintenanceRules(acl).every((rule) =>
    sameJson(rule.Action, maintenanceAction(desired)),
  );
  if (!actionMatches || !desired.enabled) return actionMatches;
  return sameJson(acl.CustomResponseBodies?.[MAINTENANCE_BODY_KEY], maintenanceBody(desired));
}

/**
 * Returns a copy of the ACL with the maintenance rules switched and labelled with `changeId`, and the
 * maintenance body rendered for the desired reason. Other rules, their order and every other field are
 * carried over as they are (the adapter sends the whole document back, since UpdateWebACL replaces it).
 */
export function applyMaintenance(acl: WebACL, desired: DesiredMaintenance, changeId: string): WebACL {
  maintenanceRules(acl);
  const action = maintenanceAction(desired);
  const rules = (acl.Rules ?? []).map((rule) => {
    if (!isMaintenanceRule(rule)) return rule;
    const foreignLabels = (rule.RuleLabels ?? []).filter((l) => !l.Name?.startsWith(CHANGE_LABEL_PREFIX));
    return {
      ...rule,
      Action: action,
      RuleLabels: [...foreignLabels, { Name: `${CHANGE_LABEL_PREFIX}${changeId}` }],
    };
  });
  const bodies = desired.enabled
    ? { ...acl.CustomResponseBodies, [MAINTENANCE_BODY_KEY]: maintenanceBody(desired) }
    : acl.CustomResponseBodies;
  return { ...acl, Rules: rules, ...(bodies ? { CustomResponseBodies: bodies } : {}) };
}
