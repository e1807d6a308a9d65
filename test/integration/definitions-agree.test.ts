import { readdirSync } from 'node:fs';
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  GetOriginAccessControlCommand,
  ListDistributionsCommand,
} from '@aws-sdk/client-cloudfront';
import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetIPSetCommand,
  GetRuleGroupCommand,
  GetWebACLCommand,
  ListWebACLsCommand,
  type RuleGroup,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { awsDeps } from '../../handlers/lib/aws-deps';
import type { ProvisionedStack } from '../../scripts/local/provision';
import { provisionStack, resolveIntrinsics, resolveParams } from '../../scripts/local/provision';
import { timerParams } from '../../scripts/local/scheduler-runner';
import { SITE_DIR } from '../../scripts/local/site';
import type { StackDefinition } from '../../scripts/local/stack-definition';
import { parseIpSetArn, parseRuleGroupArn, parseWebAclArn } from '../../src/adapters/aws/waf-arn';
import { loadConfig, loadEdgeConfig } from '../../src/config';
import { Deadline } from '../../src/domain/deadline';
import {
  initialState,
  RULE_GROUP_CAPACITY,
  RULES_REVISION,
  readSwitchState,
  ruleGroupDocument,
} from '../../src/domain/rule-group';
import { referenceRule, ruleGroupName } from '../../src/domain/rule-group-reference';
import { systemClock } from '../../src/ports/clock';
import { getMaintenanceStatus } from '../../src/use-cases/get-maintenance-status';
import { setMaintenanceMode } from '../../src/use-cases/set-maintenance-mode';
import { handlerEnv, provisionTestStack, renamedDefinition, testDefinition } from '../support/stack';

type Json = Record<string, unknown>;

const waf = new WAFV2Client({ region: 'us-east-1' });
const cloudfront = new CloudFrontClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
const ATTACH_TO = [
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-a/11111111-2222-3333-4444-555555555555',
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-b/66666666-7777-8888-9999-000000000000',
];

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

async function readGroup(arn: string): Promise<{ group: RuleGroup; lockToken: string }> {
  const { name, id, scope } = parseRuleGroupArn(arn);
  const out = await waf.send(new GetRuleGroupCommand({ Name: name, Id: id, Scope: scope }));
  return { group: out.RuleGroup as RuleGroup, lockToken: out.LockToken as string };
}

async function ipSet(arn: string) {
  const { name, id, scope } = parseIpSetArn(arn);
  return (await waf.send(new GetIPSetCommand({ Name: name, Id: id, Scope: scope }))).IPSet;
}

const context = (definition: StackDefinition) => ({
  parameters: definition.parameters,
  conditions: definition.conditions,
});

/** What getMaintenance makes of its environment as the definition gives it, resolved against the stack. */
function edgeConfigOf(definition: StackDefinition, stack: ProvisionedStack) {
  const env = resolveIntrinsics(
    definition.functionEnvironment.getMaintenance ?? {},
    stack.attributes,
    context(definition),
  );
  return loadEdgeConfig(env as Record<string, string>);
}

describe('local provisioning, the deployed template and the core agree (managed mode)', () => {
  let definition: StackDefinition;
  let stack: ProvisionedStack;
  let group: RuleGroup;
  let provisionedAcl: WebACL;

  beforeAll(async () => {
    [definition, stack] = await Promise.all([testDefinition(), provisionTestStack('agree')]);
    group = (await readGroup(stack.ruleGroupArn)).group;
    const { name, id, scope } = parseWebAclArn(stack.webAclArn);
    provisionedAcl = (await waf.send(new GetWebACLCommand({ Name: name, Id: id, Scope: scope })))
      .WebACL as WebACL;
  }, 60_000);

  it("provisions the switch as the custom resource makes it: the template's group name, the fixed capacity, off", () => {
    const [, props] = resourceOfType(definition, 'Custom::MaintenanceRuleGroup');
    expect(props.Name).toBe(ruleGroupName('template'));
    expect(props.RulesRevision).toBe(RULES_REVISION);
    expect(stack.pageStyle).toBe('hosted');

    expect(group).toMatchObject({ Name: ruleGroupName(stack.stage), Capacity: RULE_GROUP_CAPACITY });
    const ipSets = { v4: stack.ipSetArns.ipv4, v6: stack.ipSetArns.ipv6 };
    const expected = ruleGroupDocument(ruleGroupName(stack.stage), initialState(ipSets, 'hosted'));
    expect(group.Rules).toEqual(expected.Rules);
    expect(group.CustomResponseBodies).toEqual(expected.CustomResponseBodies);
    expect(readSwitchState(group)).toMatchObject({ enabled: false, changeId: null, ipSets });
  });

  it('points the group at the two provisioned bypass sets, one per IP version, empty', async () => {
    const [v4, v6] = await Promise.all([ipSet(stack.ipSetArns.ipv4), ipSet(stack.ipSetArns.ipv6)]);
    expect(v4).toMatchObject({
      Name: `waf-maintenance-${stack.stage}-bypass-v4`,
      IPAddressVersion: 'IPV4',
      Addresses: [],
    });
    expect(v6).toMatchObject({
      Name: `waf-maintenance-${stack.stage}-bypass-v6`,
      IPAddressVersion: 'IPV6',
      Addresses: [],
    });
    expect(stack.attributes.MaintenanceRuleGroup).toEqual({
      Ref: stack.ruleGroupArn,
      Arn: stack.ruleGroupArn,
      Id: group.Id,
      Name: group.Name,
      Ipv4SetArn: stack.ipSetArns.ipv4,
      Ipv6SetArn: stack.ipSetArns.ipv6,
    });
  });

  it("provisions the template's web ACL: one rule, the reference to the provisioned group, first", () => {
    const [, acl] = resourceOfType(renamedDefinition(definition, stack.stage), 'AWS::WAFv2::WebACL');
    expect(resolveIntrinsics(acl.Rules, stack.attributes, context(definition))).toEqual(provisionedAcl.Rules);
    expect(provisionedAcl.Rules).toEqual([referenceRule(stack.ruleGroupArn, ruleGroupName(stack.stage), 0)]);
    expect(provisionedAcl.DefaultAction).toEqual(acl.DefaultAction);
  });

  it('gives the Lambdas exactly the environment src/config.ts reads, pointing at the stack', () => {
    expect(requiredConfigKeys().length).toBeGreaterThan(0);
    expect(Object.keys(definition.environment).sort()).toEqual(
      [...requiredConfigKeys(), 'MAINTENANCE_PAGE'].sort(),
    );
    const resolved = resolveIntrinsics(
      renamedDefinition(definition, stack.stage).environment,
      stack.attributes,
      context(definition),
    ) as Record<string, string>;
    expect(loadConfig(resolved)).toMatchObject({
      RULE_GROUP_ARN: stack.ruleGroupArn,
      TABLE_NAME: stack.tableName,
      BYPASS_IPV4_ARN: stack.ipSetArns.ipv4,
      BYPASS_IPV6_ARN: stack.ipSetArns.ipv6,
      MAINTENANCE_PAGE: 'hosted',
    });
    expect(loadConfig(resolved)).toMatchObject(loadConfig(handlerEnv(stack)));
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

  it('resolves every parameter serverless-offline needs against the stack', () => {
    const timers = timerParams({ service: 'waf-maintenance', stage: stack.stage }, {});
    expect(resolveParams(definition, stack, timers)).toEqual({
      ...timers,
      ruleGroupArn: stack.ruleGroupArn,
      bypassIpv4Arn: stack.ipSetArns.ipv4,
      bypassIpv6Arn: stack.ipSetArns.ipv6,
      webAclArns: stack.webAclArn,
      maintenancePage: 'hosted',
      distributionId: stack.distributionId,
      sitePageUrl: `https://${stack.distributionDomain}/maintenance/index.html`,
      siteUrl: `https://${stack.distributionDomain}`,
    });
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

    it('points getMaintenance at this web ACL, this distribution and its page', () => {
      expect(edgeConfigOf(definition, stack)).toMatchObject({
        WEB_ACL_ARNS: [stack.webAclArn],
        DISTRIBUTION_ID: stack.distributionId,
        SITE_PAGE_URL: `https://${stack.distributionDomain}/maintenance/index.html`,
      });
    });
  });
});

describe('local provisioning in attach mode', () => {
  let definition: StackDefinition;
  let stack: ProvisionedStack;

  beforeAll(async () => {
    const params = { attachTo: ATTACH_TO.join(',') };
    [definition, stack] = await Promise.all([testDefinition(params), provisionTestStack('agreeat', params)]);
  }, 60_000);

  it('provisions the switch with the inline page, and no web ACL, distribution or bucket', async () => {
    expect(stack).toMatchObject({ pageStyle: 'inline', webAclArn: '', distributionId: '', siteBucket: '' });
    const { group } = await readGroup(stack.ruleGroupArn);
    const ipSets = { v4: stack.ipSetArns.ipv4, v6: stack.ipSetArns.ipv6 };
    expect(group.CustomResponseBodies).toEqual(
      ruleGroupDocument(ruleGroupName(stack.stage), initialState(ipSets, 'inline')).CustomResponseBodies,
    );
    expect(Object.keys(stack.attributes).sort()).toEqual([
      'MaintenanceRuleGroup',
      'MaintenanceTable',
      'ScheduleGroup',
    ]);

    const acls = await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
    expect(acls.WebACLs?.map((a) => a.Name)).not.toContain(`waf-maintenance-${stack.stage}`);
    const bucket = `waf-maintenance-${stack.stage}-site-123456789012`;
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    const distributions = await cloudfront.send(new ListDistributionsCommand({}));
    const ours = (distributions.DistributionList?.Items ?? []).filter((d) =>
      d.Comment?.includes(stack.stage),
    );
    expect(ours).toEqual([]);
  });

  it("points getMaintenance at the team's web ACLs, and says so to serverless-offline", () => {
    expect(edgeConfigOf(definition, stack)).toMatchObject({
      WEB_ACL_ARNS: ATTACH_TO,
      DISTRIBUTION_ID: '',
      SITE_PAGE_URL: '',
    });
    // An empty value goes as a space: the framework refuses `--param=name=` and trims a value's end.
    const timers = timerParams({ service: 'waf-maintenance', stage: stack.stage }, {});
    expect(resolveParams(definition, stack, timers)).toMatchObject({
      webAclArns: ATTACH_TO.join(','),
      maintenancePage: 'inline',
      distributionId: ' ',
      sitePageUrl: ' ',
    });
  });
});

describe('restarting the local stack against the same emulator', () => {
  it('keeps maintenance on, with its reason, Retry-After, bodies and bypass addresses', async () => {
    const stage = `restart${Date.now().toString(36)}`;
    const definition = renamedDefinition(await testDefinition(), stage);
    const first = await provisionStack(definition);
    const deps = awsDeps(handlerEnv(first));
    await setMaintenanceMode(
      { ...deps, deadline: Deadline.in(systemClock, 20_000) },
      { enabled: true, reason: 'Moving to the new database', retryAfterSeconds: 900, actor: 'ops' },
    );
    await deps.bypass.put(await deps.bypass.get(4), ['203.0.113.0/24']);
    await deps.bypass.put(await deps.bypass.get(6), ['2001:db8:1::/48']);
    const before = await readGroup(first.ruleGroupArn);

    const second = await provisionStack(definition);

    expect(second).toMatchObject({
      ruleGroupArn: first.ruleGroupArn,
      ipSetArns: first.ipSetArns,
      webAclArn: first.webAclArn,
      distributionId: first.distributionId,
    });
    const after = await readGroup(second.ruleGroupArn);
    // Restated (the custom resource's Update), and with everything live as it was.
    expect(after.lockToken).not.toBe(before.lockToken);
    expect(readSwitchState(after.group)).toEqual(readSwitchState(before.group));
    expect(readSwitchState(after.group)).toMatchObject({ enabled: true, retryAfterSeconds: 900 });
    expect(await getMaintenanceStatus(awsDeps(handlerEnv(second)))).toMatchObject({
      enabled: true,
      reason: 'Moving to the new database',
      retryAfterSeconds: 900,
      changedBy: 'ops',
    });
    expect((await ipSet(second.ipSetArns.ipv4))?.Addresses).toEqual(['203.0.113.0/24']);
    expect((await ipSet(second.ipSetArns.ipv6))?.Addresses).toEqual(['2001:db8:1::/48']);
  }, 60_000);
});
