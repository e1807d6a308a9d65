import { randomBytes } from 'node:crypto';
import { type ProvisionedStack, provisionStack } from '../../scripts/local/provision';
import { loadStackDefinition, type StackDefinition } from '../../scripts/local/stack-definition';

const definitions = new Map<string, Promise<StackDefinition>>();

/**
 * Provisions a fresh copy of the stack in the moto server started by the global setup, under a unique
 * stage name, so test files never share state. serverless.yml is resolved once per worker (per set of
 * stage parameters: `{ attachTo }` for attach mode) and renamed per stage (names are
 * `waf-maintenance-<stage>...` throughout).
 */
export async function provisionTestStack(
  prefix = 't',
  params: Record<string, string> = {},
): Promise<ProvisionedStack> {
  const template = await testDefinition(params);
  const stage = `${prefix}${randomBytes(4).toString('hex')}`;
  return provisionStack(renamedDefinition(template, stage));
}

/** serverless.yml resolved for the stage `template` (once per worker and set of parameters). */
export function testDefinition(params: Record<string, string> = {}): Promise<StackDefinition> {
  const key = JSON.stringify(params);
  let found = definitions.get(key);
  if (!found) {
    found = loadStackDefinition('template', params);
    definitions.set(key, found);
  }
  return found;
}

/** The definition of the stage `template` as it reads for `stage`. */
export function renamedDefinition(template: StackDefinition, stage: string): StackDefinition {
  const renamed = JSON.parse(
    JSON.stringify(template).replaceAll('waf-maintenance-template', `waf-maintenance-${stage}`),
  );
  return { ...renamed, stage };
}

/** Environment a handler module needs to build its adapters against a provisioned stack. */
export function handlerEnv(stack: ProvisionedStack): Record<string, string> {
  return {
    RULE_GROUP_ARN: stack.ruleGroupArn,
    TABLE_NAME: stack.tableName,
    BYPASS_IPV4_ARN: stack.ipSetArns.ipv4,
    BYPASS_IPV6_ARN: stack.ipSetArns.ipv6,
    MAINTENANCE_PAGE: stack.pageStyle,
    AWS_REGION: 'us-east-1',
    SCHEDULE_GROUP: stack.scheduleGroup,
    SCHEDULED_FUNCTION_ARN: `arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-${stack.stage}-scheduled`,
    SCHEDULER_ROLE_ARN: `arn:aws:iam::123456789012:role/waf-maintenance-${stack.stage}-scheduler`,
  };
}
