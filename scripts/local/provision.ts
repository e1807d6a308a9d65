import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type TimeToLiveSpecification,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CreateIPSetCommand,
  CreateWebACLCommand,
  type CreateWebACLCommandInput,
  ListIPSetsCommand,
  ListWebACLsCommand,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { ACCOUNT, type Attributes, REGION, resolveIntrinsics, type TemplateContext } from './intrinsics';
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
  webAclArn: string;
  ipSetArns: { ipv4: string; ipv6: string };
  /** The maintenance site's bucket, holding the page under `maintenance/`. */
  siteBucket: string;
  distributionId: string;
  /** The distribution's `*.cloudfront.net` name (which does not resolve for an emulated distribution). */
  distributionDomain: string;
  /** What `Ref X` / `Fn::GetAtt [X, Attribute]` resolve to, per logical id. */
  attributes: Attributes;
}

export interface ProvisionClients {
  waf?: WAFV2Client;
  dynamodb?: DynamoDBClient;
  s3?: S3Client;
  cloudfront?: CloudFrontClient;
}

type Props = Record<string, CfnValue>;

function byType(definition: StackDefinition, type: string): Array<[string, CfnResource]> {
  return Object.entries(definition.resources).filter(([, resource]) => resource.Type === type);
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
        BillingMode: (props.BillingMode as 'PAY_PER_REQUEST') ?? 'PAY_PER_REQUEST',
      }),
    );
  }
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

async function ensureIpSet(client: WAFV2Client, props: Props) {
  const Name = props.Name as string;
  const found = await findByName(Name, async (NextMarker) => {
    const page = await client.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker }));
    return { items: page.IPSets ?? [], next: page.NextMarker };
  });
  if (found?.ARN && found.Id) return { ARN: found.ARN, Id: found.Id };
  const out = await client.send(
    new CreateIPSetCommand({
      Name,
      Scope: 'CLOUDFRONT',
      IPAddressVersion: props.IPAddressVersion as 'IPV4' | 'IPV6',
      Addresses: (props.Addresses as string[]) ?? [],
      Description: props.Description as string | undefined,
    }),
  );
  return { ARN: out.Summary?.ARN as string, Id: out.Summary?.Id as string };
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
 * both bypass IP sets, the web ACL with its maintenance rules in COUNT, the site bucket (with the page
 * uploaded), its origin access control, the distribution and the bucket policy. An existing resource (by
 * name, or the distribution by CallerReference) is kept as it is, so restarting the local stack does not
 * switch maintenance off or forget bypass addresses. The order follows the template's references: the
 * distribution needs the bucket, the OAC and the web ACL; the bucket policy names the distribution.
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
  const attributes: Attributes = {};
  const context: TemplateContext = { parameters: definition.parameters, conditions: definition.conditions };
  const each = async (type: string, create: (props: Props, id: string) => Promise<Attributes[string]>) => {
    for (const [id, resource] of byType(definition, type)) {
      const props = resolveIntrinsics(resource.Properties ?? {}, attributes, context) as Props;
      attributes[id] = await create(props, id);
    }
  };

  await each('AWS::DynamoDB::Table', async (props) => {
    const name = await ensureTable(dynamodb, props);
    return { Ref: name, Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` };
  });
  await each('AWS::WAFv2::IPSet', async (props) => {
    const { ARN, Id } = await ensureIpSet(waf, props);
    return { Ref: `${props.Name}|${Id}|CLOUDFRONT`, Arn: ARN, Id };
  });
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

  const ipSets = byType(definition, 'AWS::WAFv2::IPSet');
  const arnOf = (version: string) =>
    attributes[ipSets.find(([, r]) => r.Properties?.IPAddressVersion === version)?.[0] ?? '']?.Arn ?? '';
  const first = (type: string) => attributes[byType(definition, type)[0]?.[0] ?? ''];
  return {
    stage: definition.stage,
    tableName: first('AWS::DynamoDB::Table')?.Ref ?? '',
    webAclArn: first('AWS::WAFv2::WebACL')?.Arn ?? '',
    ipSetArns: { ipv4: arnOf('IPV4'), ipv6: arnOf('IPV6') },
    siteBucket: first('AWS::S3::Bucket')?.Ref ?? '',
    distributionId: first('AWS::CloudFront::Distribution')?.Id ?? '',
    distributionDomain: first('AWS::CloudFront::Distribution')?.DomainName ?? '',
    attributes,
  };
}

/**
 * The stage parameters serverless-offline needs spelled out (`--param=name=value`): it cannot resolve the
 * `!GetAtt`s, `!Ref`s and `!Sub`s that `params.default` holds for the deployed stack, so they are resolved
 * here against what was provisioned. Plain values are left out: the framework reads them itself, and it
 * refuses an empty `--param=name=`.
 *
 * @example
 * resolveParams(definition, stack) // { webAclArn: 'arn:aws:wafv2:...', distributionId: 'E2...', sitePageUrl: 'https://...' }
 */
export function resolveParams(definition: StackDefinition, stack: ProvisionedStack): Record<string, string> {
  const context: TemplateContext = { parameters: definition.parameters, conditions: definition.conditions };
  return Object.fromEntries(
    Object.entries(definition.params)
      .filter(([, value]) => value !== null && typeof value === 'object')
      .map(([name, value]) => [name, String(resolveIntrinsics(value, stack.attributes, context))]),
  );
}
