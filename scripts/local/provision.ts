import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
  type StreamViewType,
  type TimeToLiveSpecification,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  ConflictException,
  CreateScheduleGroupCommand,
  GetScheduleGroupCommand,
  ResourceNotFoundException as ScheduleGroupNotFound,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  CreateWebACLCommand,
  type CreateWebACLCommandInput,
  ListRuleGroupsCommand,
  ListWebACLsCommand,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { DynamoDbChangeLog } from '../../src/adapters/aws/dynamodb-change-log';
import { WafSwitchResources } from '../../src/adapters/aws/waf-switch-resources';
import {
  parseSwitchProperties,
  runSwitchRequest,
  switchData,
} from '../../src/adapters/cloudformation/custom-resource';
import type { PageStyle } from '../../src/domain/maintenance-page';
import { systemClock } from '../../src/ports/clock';
import { type MadeResources, PROVISION_RETRY_POLICY, undoCreate } from '../../src/use-cases/provision-switch';
import {
  ACCOUNT,
  type Attributes,
  evaluateCondition,
  REGION,
  resolveIntrinsics,
  type TemplateContext,
} from './intrinsics';
import {
  ensureBucket,
  ensureBucketPolicy,
  ensureDistribution,
  ensureOriginAccessControl,
} from './provision-edge';
import { SITE_DIR, uploadMaintenanceSite } from './site';
import type { CfnResource, CfnValue, StackDefinition } from './stack-definition';

export { resolveIntrinsics } from './intrinsics';

export interface ProvisionedStack {
  stage: string;
  tableName: string;
  /** The switch's rule group (the custom resource MaintenanceRuleGroup). */
  ruleGroupArn: string;
  /** The bypass IP sets the group's rules reference. */
  ipSetArns: { ipv4: string; ipv6: string };
  /** Which HTML body the group shows: `hosted` in managed mode, `inline` in attach mode. */
  pageStyle: PageStyle;
  /** The stack's own web ACL in managed mode; '' in attach mode, which has none. */
  webAclArn: string;
  /** The maintenance site's bucket, holding the page under `maintenance/` ('' in attach mode). */
  siteBucket: string;
  distributionId: string;
  /** The distribution's `*.cloudfront.net` name (which does not resolve for an emulated distribution). */
  distributionDomain: string;
  /** The timers' schedule group (`waf-maintenance-<stage>`), which the local scheduler runner fires. */
  scheduleGroup: string;
  /** What `Ref X` / `Fn::GetAtt [X, Attribute]` resolve to, per logical id. */
  attributes: Attributes;
}

export interface ProvisionClients {
  waf?: WAFV2Client;
  dynamodb?: DynamoDBClient;
  s3?: S3Client;
  cloudfront?: CloudFrontClient;
  scheduler?: SchedulerClient;
}

type Props = Record<string, CfnValue>;

function byType(definition: StackDefinition, type: string): Array<[string, CfnResource]> {
  return Object.entries(definition.resources).filter(([, resource]) => resource.Type === type);
}

/**
 * The template's indexes on a table an earlier version created without them (a restart against the same
 * emulator), one UpdateTable each, as CloudFormation adds them.
 */
async function ensureIndexes(client: DynamoDBClient, TableName: string, props: Props): Promise<void> {
  const wanted = (props.GlobalSecondaryIndexes ?? []) as GlobalSecondaryIndex[];
  if (wanted.length === 0) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of wanted) {
    if (present.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: props.AttributeDefinitions as never,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
}

/** The template's StreamSpecification as the DynamoDB API takes it (CloudFormation's has no StreamEnabled). */
function stream(props: Props): { StreamEnabled: true; StreamViewType: StreamViewType } | undefined {
  const spec = props.StreamSpecification as { StreamViewType?: StreamViewType } | undefined;
  return spec?.StreamViewType ? { StreamEnabled: true, StreamViewType: spec.StreamViewType } : undefined;
}

/** The template's stream on a table an earlier version created without one. */
async function ensureStream(client: DynamoDBClient, TableName: string, props: Props): Promise<void> {
  const wanted = stream(props);
  if (!wanted) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName, StreamSpecification: wanted }));
}

/**
 * The table as the template defines it. CreateTable takes no TTL, so the template's TimeToLiveSpecification
 * is applied after it, to a table an earlier version created too; only when it is not on yet, since
 * DynamoDB refuses to enable a TTL that already is.
 */
async function ensureTable(client: DynamoDBClient, props: Props): Promise<string> {
  const TableName = props.TableName as string;
  try {
    await client.send(new DescribeTableCommand({ TableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: props.AttributeDefinitions as never,
        KeySchema: props.KeySchema as never,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes as never,
        BillingMode: (props.BillingMode as 'PAY_PER_REQUEST') ?? 'PAY_PER_REQUEST',
        ...(stream(props) ? { StreamSpecification: stream(props) } : {}),
      }),
    );
  }
  await ensureIndexes(client, TableName, props);
  await ensureStream(client, TableName, props);
  const ttl = props.TimeToLiveSpecification as TimeToLiveSpecification | undefined;
  if (ttl?.Enabled) {
    const { TimeToLiveDescription: current } = await client.send(
      new DescribeTimeToLiveCommand({ TableName }),
    );
    const on = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
    if (!on || current?.AttributeName !== ttl.AttributeName) {
      await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: ttl }));
    }
  }
  return TableName;
}

/** Walks a WAF list call page by page (an emulator shared by many stages can hold more than a page). */
async function findByName<T extends { Name?: string | undefined }>(
  name: string,
  page: (marker: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T | undefined> {
  let marker: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const { items, next } = await page(marker);
    const found = items.find((item) => item.Name === name);
    if (found || !next || next === marker || items.length === 0) return found;
    marker = next;
  }
  return undefined;
}

/**
 * `Custom::MaintenanceRuleGroup` through the custom resource's own code (runSwitchRequest), in-process: an
 * Update with the existing group's ARN when a group of that name exists (so a restart keeps maintenance on,
 * its reason, Retry-After and bypass addresses), else a Create; a Create that fails deletes what it made,
 * as the Lambda does. Its attributes are the Lambda's `Data`, with the ARN as `Ref` (its PhysicalResourceId).
 */
async function ensureSwitch(clients: { waf: WAFV2Client; dynamodb: DynamoDBClient }, props: Props) {
  const { Name, TableName } = parseSwitchProperties(props);
  const existing = await findByName(Name, async (NextMarker) => {
    const page = await clients.waf.send(
      new ListRuleGroupsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker }),
    );
    return { items: page.RuleGroups ?? [], next: page.NextMarker };
  });
  const deps = {
    waf: new WafSwitchResources(clients.waf),
    changes: new DynamoDbChangeLog(clients.dynamodb, TableName),
    clock: systemClock,
    policy: PROVISION_RETRY_POLICY,
  };
  const made: MadeResources = [];
  const request = existing?.ARN
    ? { RequestType: 'Update' as const, PhysicalResourceId: existing.ARN, ResourceProperties: props }
    : { RequestType: 'Create' as const, ResourceProperties: props };
  try {
    const provisioned = await runSwitchRequest(deps, request, made);
    if (!provisioned) throw new Error(`${request.RequestType} of ${Name} gave no rule group`);
    return { Ref: provisioned.arn, ...switchData(provisioned) };
  } catch (error) {
    await undoCreate(deps, made);
    throw error;
  }
}

/**
 * The schedule group, created only when it is missing: moto's CreateScheduleGroup replaces a group of the
 * same name with an empty one, which would drop every planned window's timers on a restart.
 */
async function ensureScheduleGroup(client: SchedulerClient, props: Props) {
  const Name = props.Name as string;
  try {
    const found = await client.send(new GetScheduleGroupCommand({ Name }));
    return { Ref: Name, Arn: found.Arn as string };
  } catch (error) {
    if (!(error instanceof ScheduleGroupNotFound)) throw error;
  }
  try {
    const made = await client.send(new CreateScheduleGroupCommand({ Name }));
    return { Ref: Name, Arn: made.ScheduleGroupArn as string };
  } catch (error) {
    // Made meanwhile by another start against the same emulator.
    if (!(error instanceof ConflictException)) throw error;
    return { Ref: Name, Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${Name}` };
  }
}

/**
 * CloudFormation takes a ByteMatchStatement's `SearchString` as text; the WAF API types it as a blob
 * (base64 on the wire). Passing bytes makes the SDK send exactly what AWS expects, and GetWebACL gives
 * the same bytes back, which a toggle then sends unchanged.
 */
export function withSearchStringBytes(value: CfnValue): CfnValue {
  if (Array.isArray(value)) return value.map(withSearchStringBytes);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === 'SearchString' && typeof v === 'string'
        ? new TextEncoder().encode(v)
        : withSearchStringBytes(v),
    ]),
  );
}

async function ensureWebAcl(client: WAFV2Client, props: Props) {
  const Name = props.Name as string;
  const found = await findByName(Name, async (NextMarker) => {
    const page = await client.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker }));
    return { items: page.WebACLs ?? [], next: page.NextMarker };
  });
  if (found?.ARN && found.Id) return { ARN: found.ARN, Id: found.Id };
  const input = withSearchStringBytes(props) as unknown as CreateWebACLCommandInput;
  const out = await client.send(new CreateWebACLCommand(input));
  return { ARN: out.Summary?.ARN as string, Id: out.Summary?.Id as string };
}

/**
 * Creates, idempotently, the resources of the stack definition that the API and the edge need: the table,
 * the switch (its rule group and both bypass IP sets, through the custom resource's code), and in managed
 * mode the web ACL referencing the group, the site bucket (with the page uploaded), its origin access
 * control, the distribution and the bucket policy; and the timers' schedule group (which keeps the
 * schedules in it on a restart). A resource whose Condition is false is left out, as
 * CloudFormation does (attach mode has no ACL, distribution or bucket). The switch is restated with its
 * live state kept; any other existing resource (by name, or the distribution by CallerReference) is kept
 * as it is. The order follows the template's references: the switch reads the table; the ACL references
 * the group; the distribution needs the bucket, the OAC and the ACL; the bucket policy names the distribution.
 */
export async function provisionStack(
  definition: StackDefinition,
  clients: ProvisionClients = {},
  options: { siteDir?: string } = {},
): Promise<ProvisionedStack> {
  const waf = clients.waf ?? new WAFV2Client({ region: REGION });
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({ region: REGION });
  // Path-style: an emulator on 127.0.0.1 has no virtual-host names for buckets.
  const s3 = clients.s3 ?? new S3Client({ region: REGION, forcePathStyle: true });
  const cloudfront = clients.cloudfront ?? new CloudFrontClient({ region: REGION });
  const scheduler = clients.scheduler ?? new SchedulerClient({ region: REGION });
  const attributes: Attributes = {};
  const context: TemplateContext = { parameters: definition.parameters, conditions: definition.conditions };
  const each = async (type: string, create: (props: Props, id: string) => Promise<Attributes[string]>) => {
    for (const [id, resource] of byType(definition, type)) {
      if (resource.Condition && !evaluateCondition(resource.Condition, context)) continue;
      // A custom resource's ServiceToken names its Lambda, which runs in-process here instead.
      const { ServiceToken: _lambda, ...properties } = resource.Properties ?? {};
      const props = resolveIntrinsics(properties, attributes, context) as Props;
      attributes[id] = await create(props, id);
    }
  };

  await each('AWS::DynamoDB::Table', async (props) => {
    const name = await ensureTable(dynamodb, props);
    return { Ref: name, Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` };
  });
  await each('Custom::MaintenanceRuleGroup', (props) => ensureSwitch({ waf, dynamodb }, props));
  await each('AWS::WAFv2::WebACL', async (props) => {
    const { ARN, Id } = await ensureWebAcl(waf, props);
    return { Ref: `${props.Name}|${Id}|CLOUDFRONT`, Arn: ARN, Id };
  });
  await each('AWS::S3::Bucket', async (props) => {
    const bucket = await ensureBucket(s3, props);
    await uploadMaintenanceSite(s3, bucket.Ref, options.siteDir ?? SITE_DIR);
    return bucket;
  });
  await each('AWS::CloudFront::OriginAccessControl', (props) => ensureOriginAccessControl(cloudfront, props));
  await each('AWS::CloudFront::Distribution', (props, id) =>
    ensureDistribution(cloudfront, props, `${definition.service}-${definition.stage}-${id}`),
  );
  await each('AWS::S3::BucketPolicy', (props) => ensureBucketPolicy(s3, props));
  await each('AWS::Scheduler::ScheduleGroup', (props) => ensureScheduleGroup(scheduler, props));

  const first = (type: string) => attributes[byType(definition, type)[0]?.[0] ?? ''];
  const [switchId, switchResource] = byType(definition, 'Custom::MaintenanceRuleGroup')[0] ?? [];
  const pageStyle = resolveIntrinsics(switchResource?.Properties?.PageStyle ?? 'hosted', attributes, context);
  return {
    stage: definition.stage,
    tableName: first('AWS::DynamoDB::Table')?.Ref ?? '',
    ruleGroupArn: attributes[switchId ?? '']?.Arn ?? '',
    ipSetArns: {
      ipv4: attributes[switchId ?? '']?.Ipv4SetArn ?? '',
      ipv6: attributes[switchId ?? '']?.Ipv6SetArn ?? '',
    },
    pageStyle: pageStyle as PageStyle,
    webAclArn: first('AWS::WAFv2::WebACL')?.Arn ?? '',
    siteBucket: first('AWS::S3::Bucket')?.Ref ?? '',
    distributionId: first('AWS::CloudFront::Distribution')?.Id ?? '',
    distributionDomain: first('AWS::CloudFront::Distribution')?.DomainName ?? '',
    scheduleGroup: first('AWS::Scheduler::ScheduleGroup')?.Ref ?? '',
    attributes,
  };
}

/**
 * The stage parameters serverless-offline needs spelled out (`--param=name=value`): it cannot resolve the
 * `!GetAtt`s, `!Ref`s, `!Sub`s and `!If`s that `params.default` holds for the deployed stack, so they are
 * resolved here against what was provisioned. Plain values are left out: the framework reads them itself.
 * One that resolves to nothing (attach mode's distribution) is a single space: the framework refuses an
 * empty `--param=name=` and trims the end of a value, so that is how it reads ''. `given` are passed as they
 * are, unresolved: the timers' (timerParams in scheduler-runner.ts), whose `!GetAtt SchedulerRole.Arn`
 * names a role the local stack does not make.
 *
 * @example
 * resolveParams(definition, stack) // { ruleGroupArn: 'arn:aws:wafv2:...', distributionId: 'E2...', sitePageUrl: 'https://...' }
 */
export function resolveParams(
  definition: StackDefinition,
  stack: ProvisionedStack,
  given: Record<string, string> = {},
): Record<string, string> {
  const context: TemplateContext = { parameters: definition.parameters, conditions: definition.conditions };
  const resolved = Object.entries(definition.params)
    .filter(([name, value]) => !(name in given) && value !== null && typeof value === 'object')
    .map(([name, value]) => [name, String(resolveIntrinsics(value, stack.attributes, context)) || ' ']);
  return { ...Object.fromEntries(resolved), ...given };
}
