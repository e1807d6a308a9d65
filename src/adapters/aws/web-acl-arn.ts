import { MisconfiguredError } from '../../domain/errors';

export interface WebAclRef {
  name: string;
  id: string;
  scope: 'CLOUDFRONT' | 'REGIONAL';
}

const ARN = /^arn:aws[\w-]*:wafv2:[\w-]+:\d{12}:(global|regional)\/webacl\/([\w-]{1,128})\/([0-9a-f-]{36})$/;

/**
 * GetWebACL wants name, id and scope; the ARN holds all three.
 *
 * @example
 * parseWebAclArn('arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/0f1e...')
 * // { name: 'site', id: '0f1e...', scope: 'CLOUDFRONT' }
 */
export function parseWebAclArn(arn: string): WebAclRef {
  const match = ARN.exec(arn);
  if (!match) throw new MisconfiguredError(`Not a WAFv2 web ACL ARN: ${arn}`);
  const [, scope, name, id] = match as unknown as [string, string, string, string];
  return { name, id, scope: scope === 'global' ? 'CLOUDFRONT' : 'REGIONAL' };
}
