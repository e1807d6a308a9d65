import {
  GetIPSetCommand,
  GetWebACLCommand,
  type Rule,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import type { ProvisionedStack } from '../../scripts/local/provision';
import { resolveIntrinsics } from '../../scripts/local/provision';
import { loadStackDefinition, type StackDefinition } from '../../scripts/local/stack-definition';
import { parseWebAclArn } from '../../src/adapters/aws/web-acl-arn';
import { loadConfig } from '../../src/config';
import {
  isMaintenanceRule,
  MAINTENANCE_BODY_KEY,
  MAINTENANCE_PREFIX,
  MAINTENANCE_RULE_NAME,
  maintenanceAction,
  readMaintenanceRule,
} from '../../src/domain/maintenance-rules';
import { provisionTestStack } from '../support/stack';

type Json = Record<string, unknown>;

const waf = new WAFV2Client({ region: 'us-east-1' });

/** Every IPSetReferenceStatement's ARN in a statement tree (`Arn` in the template, `ARN` in the API). */
function ipSetReferences(statement: unknown): unknown[] {
  if (Array.isArray(statement)) return statement.flatMap(ipSetReferences);
  if (statement === null || typeof statement !== 'object') return [];
  return Object.entries(statement).flatMap(([key, value]) =>
    key === 'IPSetReferenceStatement' ? [(value as Json).Arn ?? (value as Json).ARN] : ipSetReferences(value),
  );
}

/** The logical id behind a template's `Fn::GetAtt [Id, Arn]`. */
function logicalId(arn: unknown): string {
  const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  expect(getAtt?.[1]).toBe('Arn');
  return getAtt?.[0] ?? '';
}

function resourceOfType(definition: StackDefinition, type: string): [string, Json] {
  const found = Object.entries(definition.resources).filter(([, r]) => r.Type === type);
  expect(found).toHaveLength(1);
  const [id, resource] = found[0] as [string, { Properties?: Json }];
  return [id, resource.Properties ?? {}];
}

/** The keys src/config.ts insists on, as it names them when given an empty environment. */
function requiredConfigKeys(): string[] {
  try {
    loadConfig({});
  } catch (error) {
    return [...(error as Error).message.matchAll(/(\w+) is required/g)].map((m) => m[1] as string).sort();
  }
  return [];
}

describe('local provisioning, the deployed template and the core agree', () => {
  let definition: StackDefinition;
  let stack: ProvisionedStack;
  let templateAcl: Json;
  let templateRules: Rule[];
  let provisioned: WebACL;

  beforeAll(async () => {
    [definition, stack] = await Promise.all([loadStackDefinition('template'), provisionTestStack('agree')]);
    templateAcl = resourceOfType(definition, 'AWS::WAFv2::WebACL')[1];
    templateRules = templateAcl.Rules as Rule[];
    const { name, id, scope } = parseWebAclArn(stack.webAclArn);
    const out = await waf.send(new GetWebACLCommand({ Name: name, Id: id, Scope: scope }));
    provisioned = out.WebACL as WebACL;
  }, 60_000);

  it('provisions the rules of the template, by name, priority and action', () => {
    const shape = (rules: Rule[] | undefined) =>
      (rules ?? []).map(({ Name, Priority, Action }) => ({ Name, Priority, Action }));
    expect(shape(provisioned.Rules)).toEqual(shape(templateRules));
    expect(provisioned.DefaultAction).toEqual(templateAcl.DefaultAction);
  });

  it('points each rule at the provisioned IP sets the template references, one per IP version', async () => {
    for (const rule of templateRules) {
      const logicalIds = ipSetReferences(rule.Statement).map(logicalId);
      const expectedArns = logicalIds.map((id) => stack.attributes[id]?.Arn);
      const actual = provisioned.Rules?.find((r) => r.Name === rule.Name);

      expect(ipSetReferences(actual?.Statement)).toEqual(expectedArns);
      const versions = await Promise.all(
        logicalIds.map(async (id) => {
          const { Id, Arn } = stack.attributes[id] ?? {};
          const name = Arn?.split('/')[2];
          const out = await waf.send(new GetIPSetCommand({ Name: name, Id, Scope: 'CLOUDFRONT' }));
          expect(out.IPSet?.IPAddressVersion).toBe(definition.resources[id]?.Properties?.IPAddressVersion);
          return out.IPSet?.IPAddressVersion;
        }),
      );
      expect(versions.sort()).toEqual(['IPV4', 'IPV6']);
    }
    const referenced = templateRules.flatMap((r) => ipSetReferences(r.Statement)).map(logicalId);
    expect([...new Set(referenced)].map((id) => stack.attributes[id]?.Arn).sort()).toEqual(
      Object.values(stack.ipSetArns).sort(),
    );
  });

  it('provisions the custom response bodies of the template', () => {
    expect(provisioned.CustomResponseBodies).toEqual(templateAcl.CustomResponseBodies);
  });

  it('names in the core exactly the maintenance rules and bodies of the template', () => {
    const maintenanceRules = templateRules.filter(isMaintenanceRule).map((r) => r.Name);
    const maintenanceBodies = Object.keys(templateAcl.CustomResponseBodies as Json).filter((key) =>
      key.startsWith(MAINTENANCE_PREFIX),
    );

    expect(maintenanceRules).toEqual([MAINTENANCE_RULE_NAME]);
    expect(maintenanceBodies).toEqual([MAINTENANCE_BODY_KEY]);
    // AWS refuses a CustomResponseBodyKey the ACL does not define; moto does not check it.
    const action = maintenanceAction({ enabled: true, retryAfterSeconds: 60, reason: null });
    expect(Object.keys(templateAcl.CustomResponseBodies as Json)).toContain(
      action.Block?.CustomResponse?.CustomResponseBodyKey,
    );
    expect(readMaintenanceRule(provisioned)).toEqual({
      enabled: false,
      retryAfterSeconds: null,
      changeId: null,
    });
  });

  it('gives the Lambdas exactly the environment src/config.ts requires, pointing at the stack', () => {
    expect(Object.keys(definition.environment).sort()).toEqual(requiredConfigKeys());
    expect(requiredConfigKeys().length).toBeGreaterThan(0);

    const [tableId, table] = resourceOfType(definition, 'AWS::DynamoDB::Table');
    const [aclId] = resourceOfType(definition, 'AWS::WAFv2::WebACL');
    const ipSetIds = Object.entries(definition.resources)
      .filter(([, r]) => r.Type === 'AWS::WAFv2::IPSet')
      .map(([id, r]) => [r.Properties?.IPAddressVersion, id]);
    const ipSetId = Object.fromEntries(ipSetIds) as Record<string, string>;
    expect(definition.environment).toMatchObject({
      TABLE_NAME: table.TableName,
      WEB_ACL_ARN: { 'Fn::GetAtt': [aclId, 'Arn'] },
      BYPASS_IPV4_ARN: { 'Fn::GetAtt': [ipSetId.IPV4, 'Arn'] },
      BYPASS_IPV6_ARN: { 'Fn::GetAtt': [ipSetId.IPV6, 'Arn'] },
    });
    const resolved = resolveIntrinsics(definition.environment, stack.attributes) as Record<string, string>;
    expect(loadConfig(resolved)).toMatchObject({
      WEB_ACL_ARN: stack.webAclArn,
      BYPASS_IPV4_ARN: stack.ipSetArns.ipv4,
      BYPASS_IPV6_ARN: stack.ipSetArns.ipv6,
    });
    expect(stack.attributes[tableId]?.Ref).toBe(stack.tableName);
  });
});
