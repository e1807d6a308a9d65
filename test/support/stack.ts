import { randomBytes } from 'node:crypto';
import { type ProvisionedStack, provisionStack } from '../../scripts/local/provision';
import { loadStackDefinition, type StackDefinition } from '../../scripts/local/stack-definition';

let definition: Promise<StackDefinition> | undefined;

/**
 * Provisions a fresh copy of the stack in the moto server started by the global setup, under a unique
 * stage name, so test files never share state. serverless.yml is resolved once per worker and renamed
 * per stage (names are `waf-maintenance-<stage>...` throughout).
 */
export async function provisionTestStack(prefix = 't'): Promise<ProvisionedStack> {
  definition ??= loadStackDefinition('template');
  const template = await definition;
  const stage = `${prefix}${randomBytes(4).toString('hex')}`;
  const renamed = JSON.parse(
    JSON.stringify(template).replaceAll('waf-maintenance-template', `waf-maintenance-${stage}`),
  );
  return provisionStack({ ...renamed, stage });
}

/** Environment a handler module needs to build its adapters against a provisioned stack. */
export function handlerEnv(stack: ProvisionedStack): Record<string, string> {
  return {
    WEB_ACL_ARN: stack.webAclArn,
    TABLE_NAME: stack.tableName,
    BYPASS_IPV4_ARN: stack.ipSetArns.ipv4,
    BYPASS_IPV6_ARN: stack.ipSetArns.ipv6,
    AWS_REGION: 'us-east-1',
  };
}
