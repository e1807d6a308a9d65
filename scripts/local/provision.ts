import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  CreateIPSetCommand,
  CreateWebACLCommand,
  type CreateWebACLCommandInput,
  ListIPSetsCommand,
  ListWebACLsCommand,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import type { CfnResource, CfnValue, StackDefinition } from './stack-definition';

export interface ProvisionedStack {
  stage: string;
  tableName: string;
  webAclArn: string;
  ipSetArns: { ipv4: string; ipv6: string };
  /** What `Fn::GetAtt [X, Arn]` / `Ref X` resolve to, per logical id. */
  attributes: Record<string, { Ref: string; Arn?: string; Id?: string }>;
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/**
 * Resolves the CloudFormation intrinsics the switch's resources use (`Fn::GetAtt`, `Ref`, `Fn::Sub` with
 * pseudo parameters) against what has been created so far. CloudFormation spells ARN keys `Arn` where the
 * WAF API says `ARN`; that rename happens here too.
 */
export function resolveIntrinsics(value: CfnValue, attributes: ProvisionedStack['attributes']): CfnValue {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, attributes));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, CfnValue>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [key, arg] = first;
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = arg as [string, 'Arn' | 'Id'];
      const resolved = attributes[id]?.[attribute];
      if (resolved === undefined) throw new Error(`Cannot resolve Fn::GetAtt ${id}.${attribute} yet`);
      return resolved;
    }
    if (key === 'Ref') {
      const resolved = attributes[arg as string]?.Ref;
      if (resolved === undefined) throw new Error(`Cannot resolve Ref ${String(arg)} yet`);
      return resolved;
    }
    if (key === 'Fn::Sub' && typeof arg === 'string') {
      const pseudo: Record<string, string> = {
        'AWS::Region': REGION,
        'AWS::AccountId': ACCOUNT,
        'AWS::Partition': 'aws',
      };
      return arg.replace(/\$\{([\w:]+)\}/g, (match, name: string) => pseudo[name] ?? match);
    }
  }
  return Object.fromEntries(
    entries.map(([key, v]) => [key === 'Arn' ? 'ARN' : key, resolveIntrinsics(v, attributes)]),
  );
}

function byType(definition: StackDefinition, type: string): Array<[string, CfnResource]> {
  return Object.entries(definition.resources).filter(([, resource]) => resource.Type === type);
}

async function ensureTable(client: DynamoDBClient, props: Record<string, CfnValue>): Promise<string> {
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
  return TableName;
}

async function ensureIpSet(client: WAFV2Client, props: Record<string, CfnValue>) {
  const Name = props.Name as string;
  const existing = await client.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
  const found = existing.IPSets?.find((s) => s.Name === Name);
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

async function ensureWebAcl(client: WAFV2Client, props: Record<string, CfnValue>) {
  const Name = props.Name as string;
  const existing = await client.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 100 }));
  const found = existing.WebACLs?.find((a) => a.Name === Name);
  if (found?.ARN && found.Id) return { ARN: found.ARN, Id: found.Id };
  const out = await client.send(new CreateWebACLCommand(props as unknown as CreateWebACLCommandInput));
  return { ARN: out.Summary?.ARN as string, Id: out.Summary?.Id as string };
}

/**
 * Creates, idempotently, the resources of the stack definition that the API needs: the table, both bypass
 * IP sets, the web ACL with its maintenance rule(s) in COUNT. An existing resource (by name) is kept as it
 * is, so restarting the local stack does not switch maintenance off or forget bypass addresses.
 */
export async function provisionStack(
  definition: StackDefinition,
  clients: { waf?: WAFV2Client; dynamodb?: DynamoDBClient } = {},
): Promise<ProvisionedStack> {
  const waf = clients.waf ?? new WAFV2Client({ region: REGION });
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({ region: REGION });
  const attributes: ProvisionedStack['attributes'] = {};

  for (const [id, resource] of byType(definition, 'AWS::DynamoDB::Table')) {
    const name = await ensureTable(dynamodb, resource.Properties ?? {});
    attributes[id] = { Ref: name, Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` };
  }
  for (const [id, resource] of byType(definition, 'AWS::WAFv2::IPSet')) {
    const props = resolveIntrinsics(resource.Properties ?? {}, attributes) as Record<string, CfnValue>;
    const { ARN, Id } = await ensureIpSet(waf, props);
    attributes[id] = { Ref: `${props.Name}|${Id}|CLOUDFRONT`, Arn: ARN, Id };
  }
  for (const [id, resource] of byType(definition, 'AWS::WAFv2::WebACL')) {
    const props = resolveIntrinsics(resource.Properties ?? {}, attributes) as Record<string, CfnValue>;
    const { ARN, Id } = await ensureWebAcl(waf, props);
    attributes[id] = { Ref: `${props.Name}|${Id}|CLOUDFRONT`, Arn: ARN, Id };
  }

  const ipSets = byType(definition, 'AWS::WAFv2::IPSet');
  const arnOf = (version: string) =>
    attributes[ipSets.find(([, r]) => r.Properties?.IPAddressVersion === version)?.[0] ?? '']?.Arn ?? '';
  const webAclId = byType(definition, 'AWS::WAFv2::WebACL')[0]?.[0] ?? '';
  const tableId = byType(definition, 'AWS::DynamoDB::Table')[0]?.[0] ?? '';
  return {
    stage: definition.stage,
    tableName: attributes[tableId]?.Ref ?? '',
    webAclArn: attributes[webAclId]?.Arn ?? '',
    ipSetArns: { ipv4: arnOf('IPV4'), ipv6: arnOf('IPV6') },
    attributes,
  };
}

/**
 * The stage parameters serverless-offline needs spelled out (`--param=name=value`): it cannot resolve the
 * `!GetAtt`s that `params.default` holds for the deployed stack, so they are resolved here against what
 * was provisioned.
 *
 * @example
 * resolveParams(definition, stack) // { webAclArn: 'arn:aws:wafv2:...', bypassIpv4Arn: '...', ... }
 */
export function resolveParams(definition: StackDefinition, stack: ProvisionedStack): Record<string, string> {
  return Object.fromEntries(
    Object.entries(definition.params).map(([name, value]) => [
      name,
      String(resolveIntrinsics(value, stack.attributes)),
    ]),
  );
}
