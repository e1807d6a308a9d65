import type {
  CustomResponse,
  CustomResponseBody,
  IPSet,
  Rule,
  RuleAction,
  RuleGroup,
  RuleGroupReferenceStatement,
  WebACL,
} from '@aws-sdk/client-wafv2';
import { definedKeys, UnsupportedWafFeature, type WafRequest } from './waf-request';
import { compileStatement } from './waf-statements';

export { UnsupportedWafFeature, type WafRequest } from './waf-request';

/**
 * A preview of how AWS WAF evaluates a web ACL, for the statement types this switch writes (AWS WAF
 * Developer Guide: "How AWS WAF processes a web ACL", "Rule action", "Labels on web requests",
 * "Custom responses for Block actions"). Rules run by priority, lowest first. A matching rule adds its
 * labels whatever its action; Count goes on to the next rule, Allow and Block end the web ACL's evaluation,
 * also from inside a referenced rule group, whose Block answers with the group's own response bodies.
 * OverrideAction Count does not change how the group's rules run: the group still stops at its first
 * terminating rule, and that result is counted instead of applied (API Reference, OverrideAction).
 * It is not a WAF: whatever it cannot evaluate throws UnsupportedWafFeature when the web ACL is compiled,
 * before any request is answered, so nothing is ever let through by skipping what it does not understand.
 */

export type WafVerdict =
  | { action: 'allow'; labels: string[] }
  | {
      action: 'block';
      labels: string[];
      status: number;
      headers: Record<string, string>;
      body: { contentType: string; content: string } | null;
      /** False for WAF's default 403, which CloudFront may replace by its own error page; a custom response it never does. */
      custom: boolean;
      /** The rule that blocked, as `<rule group>/<rule>`, `<rule>` or `(default action)`. */
      rule: string;
    };

/** What a web ACL's statements reference, as the emulator holds it now. */
export interface WafReferences {
  ruleGroup(arn: string): RuleGroup;
  ipSet(arn: string): IPSet;
}

type Terminal = { action: 'allow' } | Omit<Extract<WafVerdict, { action: 'block' }>, 'labels'>;
/** Runs one rule for a request, adding to its labels; a terminal action ends the web ACL's evaluation. */
type CompiledRule = (request: WafRequest, labels: string[]) => Terminal | undefined;

/** A rule group or the web ACL: where unqualified labels live, and whose response bodies a Block uses. */
interface Context {
  namespace: string;
  bodies: Record<string, CustomResponseBody>;
  references: WafReferences;
  /** `<rule group>/` inside a group, '' in the web ACL. */
  prefix: string;
}

// CustomResponseBody.ContentType's three values, as media types.
const CONTENT_TYPES: Record<string, string> = {
  TEXT_HTML: 'text/html',
  APPLICATION_JSON: 'application/json',
  TEXT_PLAIN: 'text/plain',
};

/** `awswaf:<account>:<kind>:<name>:` ("Label syntax"), from the ARN when the emulator gives no LabelNamespace. */
function labelNamespace(resource: { LabelNamespace?: string; ARN?: string; Name?: string }, kind: string) {
  if (resource.LabelNamespace) return resource.LabelNamespace;
  const account = /^arn:[^:]+:wafv2:[^:]*:(\d{12}):/.exec(resource.ARN ?? '')?.[1] ?? '000000000000';
  return `awswaf:${account}:${kind}:${resource.Name ?? ''}:`;
}

function blockResponse(custom: CustomResponse | undefined, context: Context, rule: string): Terminal {
  const key = custom?.CustomResponseBodyKey;
  const body = key === undefined ? undefined : context.bodies[key];
  if (key !== undefined && !body)
    throw new UnsupportedWafFeature(`${rule}'s response body ${key}, which is not defined`);
  const contentType = body ? CONTENT_TYPES[body.ContentType ?? ''] : undefined;
  if (body && !contentType)
    throw new UnsupportedWafFeature(`${rule}'s response content type ${body.ContentType}`);
  return {
    action: 'block',
    rule,
    // Without a custom response WAF answers 403 Forbidden ("Custom responses for Block actions").
    status: custom?.ResponseCode ?? 403,
    headers: Object.fromEntries((custom?.ResponseHeaders ?? []).map((h) => [h.Name ?? '', h.Value ?? ''])),
    body: body && contentType ? { contentType, content: body.Content ?? '' } : null,
    custom: custom !== undefined,
  };
}

/** What an action does once its rule matched: undefined for Count, which goes on to the next rule. */
function compileAction(action: RuleAction | undefined, context: Context, rule: string): Terminal | undefined {
  const kinds = definedKeys(action ?? {});
  if (kinds.length !== 1) throw new UnsupportedWafFeature(`${rule}'s action ${kinds.join(', ') || '(none)'}`);
  // Inserted request headers would change what the origin sees: refused rather than left out.
  if (action?.Count?.CustomRequestHandling || action?.Allow?.CustomRequestHandling) {
    throw new UnsupportedWafFeature(`${rule}'s custom request handling`);
  }
  if (action?.Count) return undefined;
  if (action?.Allow) return { action: 'allow' };
  if (action?.Block) return blockResponse(action.Block.CustomResponse, context, rule);
  throw new UnsupportedWafFeature(`${rule}'s action ${kinds[0]}`);
}

const byPriority = (rules: Rule[] = []) => [...rules].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));

/** ExcludedRules count (the older form); RuleActionOverrides replace a rule's action by ActionToUse. */
function actionOverrides(reference: RuleGroupReferenceStatement, where: string): Map<string, RuleAction> {
  const overrides = new Map<string, RuleAction>();
  for (const { Name } of reference.ExcludedRules ?? []) overrides.set(Name ?? '', { Count: {} });
  for (const { Name, ActionToUse } of reference.RuleActionOverrides ?? []) {
    if (ActionToUse?.Block?.CustomResponse) {
      throw new UnsupportedWafFeature(`${where}'s override of ${Name} with a custom response`);
    }
    overrides.set(Name ?? '', ActionToUse ?? {});
  }
  return overrides;
}

function compileGroupReference(
  rule: Rule,
  reference: RuleGroupReferenceStatement,
  context: Context,
): CompiledRule {
  const name = rule.Name ?? '?';
  if (context.prefix) {
    throw new UnsupportedWafFeature(
      `rule group ${context.prefix.slice(0, -1)}'s reference to another rule group`,
    );
  }
  const override = definedKeys(rule.OverrideAction ?? {});
  if (override.length !== 1 || !['None', 'Count'].includes(override[0] as string)) {
    throw new UnsupportedWafFeature(`rule ${name}'s override action ${override.join(', ') || '(none)'}`);
  }
  const group = context.references.ruleGroup(reference.ARN ?? '');
  const inner: Context = {
    ...context,
    namespace: labelNamespace(group, 'rulegroup'),
    bodies: group.CustomResponseBodies ?? {},
    prefix: `${group.Name}/`,
  };
  const overrides = actionOverrides(reference, `rule ${name}`);
  const rules = byPriority(group.Rules).map((r) => compileRule(r, inner, overrides.get(r.Name ?? '')));
  const counted = override[0] === 'Count';
  return (request, labels) => {
    for (const run of rules) {
      const terminal = run(request, labels);
      if (terminal) return counted ? undefined : terminal;
    }
    return undefined;
  };
}

function compileRule(rule: Rule, context: Context, override?: RuleAction): CompiledRule {
  const reference = rule.Statement?.RuleGroupReferenceStatement;
  if (reference) return compileGroupReference(rule, reference, context);
  const name = `${context.prefix}${rule.Name ?? '?'}`;
  const matches = compileStatement(rule.Statement ?? {}, {
    namespace: context.namespace,
    ipSet: (arn) => context.references.ipSet(arn),
  });
  const added = (rule.RuleLabels ?? []).map((label) => `${context.namespace}${label.Name}`);
  const terminal = compileAction(override ?? rule.Action, context, name);
  return (request, labels) => {
    if (!matches(request, labels)) return undefined;
    labels.push(...added);
    return terminal;
  };
}

/**
 * Compiles `acl` once (with the rule groups and IP sets it references) into a function of a request.
 * Throws UnsupportedWafFeature, naming it, for anything in it that this preview cannot evaluate.
 *
 * @example
 * const evaluate = compileWebAcl(acl, { ruleGroup: (arn) => groups.get(arn), ipSet: (arn) => sets.get(arn) });
 * evaluate({ sourceIp: '127.0.0.2', method: 'GET', path: '/', query: '', headers: {} }); // { action: 'allow', labels: [] }
 */
export function compileWebAcl(acl: WebACL, references: WafReferences): (request: WafRequest) => WafVerdict {
  const context: Context = {
    namespace: labelNamespace(acl, 'webacl'),
    bodies: acl.CustomResponseBodies ?? {},
    references,
    prefix: '',
  };
  const rules = byPriority(acl.Rules).map((rule) => compileRule(rule, context));
  const fallback = compileAction(acl.DefaultAction, context, '(default action)');
  if (!fallback) throw new UnsupportedWafFeature('a default action that is not Allow or Block');
  return (request) => {
    const labels: string[] = [];
    let terminal: Terminal | undefined;
    for (const run of rules) {
      terminal = run(request, labels);
      if (terminal) break;
    }
    return { ...(terminal ?? fallback), labels };
  };
}

/** compileWebAcl and one evaluation, for a single request. */
export function evaluateWebAcl(acl: WebACL, request: WafRequest, references: WafReferences): WafVerdict {
  return compileWebAcl(acl, references)(request);
}
