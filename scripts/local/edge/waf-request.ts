/**
 * What the preview of AWS WAF (waf-evaluator.ts) evaluates, and the one error it throws for whatever it
 * cannot evaluate. Sources: AWS WAF Developer Guide, "Rule statements" and each statement's page; the WAFv2
 * API Reference.
 */

/** A union-shaped WAF object (Statement, FieldToMatch, RuleAction) names its one kind by its one key. */
export const definedKeys = (object: object): string[] =>
  Object.entries(object)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);

/** What the preview needs to know of a request. */
export interface WafRequest {
  /** The viewer's address: the TCP peer, never X-Forwarded-For. */
  sourceIp: string;
  method: string;
  /** The URI path as the viewer sent it (not decoded), without the query string. */
  path: string;
  /** The query string without its `?`, not decoded. */
  query: string;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
}

export class UnsupportedWafFeature extends Error {
  constructor(readonly what: string) {
    super(`The local edge cannot evaluate ${what}; it is a preview of this switch's rules, not a WAF.`);
    this.name = 'UnsupportedWafFeature';
  }
}

/** The labels a request has collected so far, fully qualified (`awswaf:...:name`). */
export type Labels = readonly string[];
export type Predicate = (request: WafRequest, labels: Labels) => boolean;
