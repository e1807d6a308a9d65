import { readdirSync } from 'node:fs';
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  GetOriginAccessControlCommand,
} from '@aws-sdk/client-cloudfront';
import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetIPSetCommand,
  GetWebACLCommand,
  type Rule,
  UpdateWebACLCommand,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import type { ProvisionedStack } from '../../scripts/local/provision';
import { resolveIntrinsics, resolveParams } from '../../scripts/local/provision';
import { SITE_DIR } from '../../scripts/local/site';
import { loadStackDefinition, type StackDefinition } from '../../scripts/local/stack-definition';
import { parseWebAclArn } from '../../src/adapters/aws/waf-arn';
import { loadConfig } from '../../src/config';
import {
  applyMaintenance,
  isMaintenanceRule,
  MAINTENANCE_BODY_KEY,
  MAINTENANCE_JSON_BODY_KEY,
  MAINTENANCE_JSON_RULE_NAME,
  MAINTENANCE_PREFIX,
  MAINTENANCE_RULE_NAME,
  readMaintenanceRule,
} from '../../src/domain/maintenance-rules';
import { provisionTestStack } from '../support/stack';

type Json = Record<string, unknown>;

const waf = new WAFV2Client({ region: 'us-east-1' });
const cloudfront = new CloudFrontClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
const dynamodb = new DynamoDBClient({ region: 'us-east-1' });

/** Every ByteMatchStatement's SearchString in a statement tree, as text. */
function searchStrings(statement: unknown): string[] {
  if (Array.isArray(statement)) return statement.flatMap(searchStrings);
  if (statement === null || typeof statement !== 'object') return [];
  return Object.entries(statement).flatMap(([key, value]) =>
    key === 'SearchString'
      ? [typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('utf8')]
      : searchStrings(value),
  );
}

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
          const { Id, Arn } = stack.attributes[id] ?? { Id: undefined, Arn: undefined };
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

    expect(maintenanceRules).toEqual([MAINTENANCE_JSON_RULE_NAME, MAINTENANCE_RULE_NAME]);
    expect(maintenanceBodies.sort()).toEqual([MAINTENANCE_BODY_KEY, MAINTENANCE_JSON_BODY_KEY].sort());
    // AWS refuses a CustomResponseBodyKey the ACL does not define; moto does not check it. Switch the
    // provisioned ACL on with the core and check every key it uses, and every body it writes, is the template's.
    const on = applyMaintenance(provisioned, { enabled: true, retryAfterSeconds: 60, reason: null }, 'agree');
    const usedKeys = (on.Rules ?? [])
      .filter(isMaintenanceRule)
      .map((r) => r.Action?.Block?.CustomResponse?.CustomResponseBodyKey);
    expect(usedKeys).toEqual([MAINTENANCE_JSON_BODY_KEY, MAINTENANCE_BODY_KEY]);
    expect(Object.keys(on.CustomResponseBodies ?? {}).sort()).toEqual(maintenanceBodies.sort());
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

  it("provisions the table with the template's time to live, which expires Slack replay records", async () => {
    const [, table] = resourceOfType(definition, 'AWS::DynamoDB::Table');
    const spec = table.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean };
    expect(spec).toEqual({ AttributeName: 'expiresAt', Enabled: true });

    const out = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: stack.tableName }));
    expect(out.TimeToLiveDescription).toEqual({
      AttributeName: spec.AttributeName,
      TimeToLiveStatus: 'ENABLED',
    });
  });
  it('sends each ByteMatchStatement SearchString as bytes that GetWebACL and a rewrite give back unchanged', async () => {
    const expected = templateRules.map((rule) => searchStrings(rule.Statement));
    expect(provisioned.Rules?.map((rule) => searchStrings(rule.Statement))).toEqual(expected);
    expect(expected.flat()).toContain('/maintenance/');

    const { name, id, scope } = parseWebAclArn(stack.webAclArn);
    const before = await waf.send(new GetWebACLCommand({ Name: name, Id: id, Scope: scope }));
    const acl = before.WebACL as WebACL;
    await waf.send(
      new UpdateWebACLCommand({
        Name: name,
        Id: id,
        Scope: scope,
        LockToken: before.LockToken,
        DefaultAction: acl.DefaultAction,
        Rules: acl.Rules,
        VisibilityConfig: acl.VisibilityConfig,
        CustomResponseBodies: acl.CustomResponseBodies,
      }),
    );
    const after = await waf.send(new GetWebACLCommand({ Name: name, Id: id, Scope: scope }));
    expect(after.WebACL?.Rules?.map((rule) => searchStrings(rule.Statement))).toEqual(expected);
  });

  describe('the edge', () => {
    let config: DistributionConfig;
    let templateConfig: Json;

    beforeAll(async () => {
      const out = await cloudfront.send(new GetDistributionConfigCommand({ Id: stack.distributionId }));
      config = out.DistributionConfig as DistributionConfig;
      templateConfig = resourceOfType(definition, 'AWS::CloudFront::Distribution')[1]
        .DistributionConfig as Json;
    });

    it('attaches the provisioned web ACL to the distribution', () => {
      expect(templateConfig.WebACLId).toEqual({
        'Fn::GetAtt': [resourceOfType(definition, 'AWS::WAFv2::WebACL')[0], 'Arn'],
      });
      expect(config.WebACLId).toBe(stack.webAclArn);
      expect(config.Enabled).toBe(true);
    });

    it('routes /maintenance/* to the S3 origin of the site bucket, as the template does', () => {
      const shape = (behaviours: Array<Record<string, unknown>>) =>
        behaviours.map(({ PathPattern, TargetOriginId, ViewerProtocolPolicy, CachePolicyId }) => ({
          PathPattern,
          TargetOriginId,
          ViewerProtocolPolicy,
          CachePolicyId,
        }));
      const behaviours = (config.CacheBehaviors?.Items ?? []) as unknown as Array<Record<string, unknown>>;
      expect(shape(behaviours)).toEqual(
        shape(templateConfig.CacheBehaviors as Array<Record<string, unknown>>),
      );

      const site = config.CacheBehaviors?.Items?.find((b) => b.PathPattern === '/maintenance/*');
      const origin = config.Origins?.Items?.find((o) => o.Id === site?.TargetOriginId);
      expect(origin?.DomainName).toBe(`${stack.siteBucket}.s3.us-east-1.amazonaws.com`);
      expect(config.DefaultCacheBehavior?.TargetOriginId).toBe('app');
    });

    it('answers origin 502, 503 and 504 with the maintenance page and a 503', () => {
      const expected = (templateConfig.CustomErrorResponses as Json[]).map((r) => ({
        ...r,
        ResponseCode: String(r.ResponseCode),
      }));
      expect(config.CustomErrorResponses).toEqual({ Quantity: 3, Items: expected });
      expect(config.CustomErrorResponses?.Items?.map((r) => r.ErrorCode)).toEqual([502, 503, 504]);
    });

    it('creates the origin access control the template names', async () => {
      // moto drops OriginAccessControlId and S3OriginConfig from GetDistributionConfig, so the OAC is
      // checked on its own here and the origin's reference to it in the translation's unit test.
      const [oacId, oac] = resourceOfType(definition, 'AWS::CloudFront::OriginAccessControl');
      const { Id } = stack.attributes[oacId] ?? { Id: undefined };
      const out = await cloudfront.send(new GetOriginAccessControlCommand({ Id }));
      const expectedName = String((oac.OriginAccessControlConfig as Json).Name).replace(
        'waf-maintenance-template',
        `waf-maintenance-${stack.stage}`,
      );
      expect(out.OriginAccessControl?.OriginAccessControlConfig).toMatchObject({
        Name: expectedName,
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      });
    });

    it('holds the maintenance page in the bucket under maintenance/, without the shell template', async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: stack.siteBucket }));
      const keys = (out.Contents ?? []).map((o) => o.Key).sort();
      const files = readdirSync(SITE_DIR).filter((f) => f !== 'shell.html' && !f.startsWith('.'));

      expect(keys).toContain('maintenance/index.html');
      expect(keys).not.toContain('maintenance/shell.html');
      expect(keys).toEqual(files.map((f) => `maintenance/${f}`).sort());
    });

    it('keeps the bucket private and readable by this distribution only', async () => {
      const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: stack.siteBucket }));
      expect(block.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = JSON.parse(
        (await s3.send(new GetBucketPolicyCommand({ Bucket: stack.siteBucket }))).Policy ?? '{}',
      );
      expect(policy.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Resource: `arn:aws:s3:::${stack.siteBucket}/maintenance/*`,
          Condition: {
            StringEquals: {
              'AWS:SourceArn': `arn:aws:cloudfront::123456789012:distribution/${stack.distributionId}`,
            },
          },
        }),
      ]);
    });

    it('points getMaintenance at this distribution and its page', () => {
      const env = resolveIntrinsics(definition.functionEnvironment.getMaintenance ?? {}, stack.attributes);
      expect(env).toMatchObject({
        DISTRIBUTION_ID: stack.distributionId,
        SITE_PAGE_URL: `https://${stack.distributionDomain}/maintenance/index.html`,
      });
      expect(resolveParams(definition, stack)).toMatchObject({
        distributionId: stack.distributionId,
        sitePageUrl: `https://${stack.distributionDomain}/maintenance/index.html`,
      });
    });
  });
});
