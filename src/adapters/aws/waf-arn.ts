import { MisconfiguredError } from '../../domain/errors';

/** What WAFv2's Get/Update calls address a resource by. */
export interface WafRef {
  name: string;
  id: string;
  scope: 'CLOUDFRONT' | 'REGIONAL';
}

/**
 * The Name, Scope and Id a WAFv2 call addresses `ref` by.
 *
 * @example
 * await client.send(new GetIPSetCommand(wafAddress(parseIpSetArn(arn))));
 */
export function wafAddress(ref: WafRef): { Name: string; Scope: WafRef['scope']; Id: string } {
  return { Name: ref.name, Scope: ref.scope, Id: ref.id };
}

/** Names for the kinds the switch addresses, for readability at call sites. */
export type WebAclRef = WafRef;
export type IpSetRef = WafRef;
export type RuleGroupRef = WafRef;

const ARN =
  /^arn:aws[\w-]*:wafv2:[\w-]+:\d{12}:(global|regional)\/(webacl|ipset|rulegroup)\/([\w-]{1,128})\/([0-9a-f-]{36})$/;

/**
 * WAFv2's Get/Update calls want name, id and scope; a resource's ARN holds all three.
 *
 * @example
 * parseWafArn('arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/0f1e...', 'webacl')
 * // { name: 'site', id: '0f1e...', scope: 'CLOUDFRONT' }
 */
export function parseWafArn(arn: string, kind: 'webacl' | 'ipset' | 'rulegroup'): WafRef {
  const match = ARN.exec(arn);
  if (!match || match[2] !== kind) throw new MisconfiguredError(`Not a WAFv2 ${kind} ARN: ${arn}`);
  const [, scope, , name, id] = match as unknown as [string, string, string, string, string];
  return { name, id, scope: scope === 'global' ? 'CLOUDFRONT' : 'REGIONAL' };
}

export const parseWebAclArn = (arn: string): WafRef => parseWafArn(arn, 'webacl');
export const parseIpSetArn = (arn: string): WafRef => parseWafArn(arn, 'ipset');
export const parseRuleGroupArn = (arn: string): WafRef => parseWafArn(arn, 'rulegroup');
