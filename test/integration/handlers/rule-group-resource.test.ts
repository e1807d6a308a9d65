import { randomBytes } from 'node:crypto';
import {
  GetIPSetCommand,
  GetRuleGroupCommand,
  ListIPSetsCommand,
  ListRuleGroupsCommand,
  type RuleGroup,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { createHandler } from '../../../handlers/rule-group-resource';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { createClients } from '../../../src/adapters/aws/clients';
import { DynamoDbChangeLog } from '../../../src/adapters/aws/dynamodb-change-log';
import { parseIpSetArn, parseRuleGroupArn } from '../../../src/adapters/aws/waf-arn';
import { WafBypassSets } from '../../../src/adapters/aws/waf-bypass-sets';
import { WafSwitchResources } from '../../../src/adapters/aws/waf-switch-resources';
import { putCustomResourceResponse } from '../../../src/adapters/cloudformation/cfn-response';
import { Deadline } from '../../../src/domain/deadline';
import type { PageStyle } from '../../../src/domain/maintenance-page';
import type { RetryPolicy } from '../../../src/domain/retry';
import {
  initialState,
  RULE_GROUP_CAPACITY,
  readSwitchState,
  ruleGroupDocument,
  withMaintenance,
} from '../../../src/domain/rule-group';
import { systemClock } from '../../../src/ports/clock';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { countingDownContext } from '../../support/events';
import { type FaultProxy, operation, startFaultProxy } from '../../support/fault-proxy';
import { type ResponseListener, startResponseListener } from '../../support/response-listener';
import { provisionTestStack } from '../../support/stack';

type Answer = Record<string, unknown> & { Data?: Record<string, string>; Reason?: string };

const waf = new WAFV2Client({ region: 'us-east-1' });
const FAST: RetryPolicy = { budgetMs: 5_000, baseDelayMs: 10, maxDelayMs: 50, random: () => 0.5 };
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/waf-maintenance-t/00000000';
const ATTACHED = [
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-a/11111111-2222-3333-4444-555555555555',
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-b/66666666-7777-8888-9999-000000000000',
];

/** The custom resource's handler, with clients to moto or (`endpoint`) to a fault proxy in front of it. */
function resourceHandler(endpoint?: string) {
  const clients = createClients('us-east-1', endpoint);
  return createHandler({
    waf: new WafSwitchResources(clients.waf),
    changeLog: (table) => new DynamoDbChangeLog(clients.dynamodb, table),
    clock: systemClock,
    policy: FAST,
    respond: putCustomResourceResponse,
  });
}

/** Every summary of an IP set or rule group by that name (moto, unlike AWS, allows IP sets to share one). */
async function named(kind: 'ipset' | 'rulegroup', name: string): Promise<string[]> {
  const arns: string[] = [];
  let NextMarker: string | undefined;
  do {
    const page =
      kind === 'ipset'
        ? await waf.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker }))
        : await waf.send(new ListRuleGroupsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker }));
    const items = 'IPSets' in page ? (page.IPSets ?? []) : ((page as { RuleGroups?: [] }).RuleGroups ?? []);
    arns.push(
      ...items.filter((i: { Name?: string }) => i.Name === name).map((i: { ARN?: string }) => i.ARN ?? ''),
    );
    NextMarker = items.length > 0 ? page.NextMarker : undefined;
  } while (NextMarker);
  return arns;
}

async function read(arn: string): Promise<{ group: RuleGroup; lockToken: string }> {
  const { name, id, scope } = parseRuleGroupArn(arn);
  const out = await waf.send(new GetRuleGroupCommand({ Name: name, Id: id, Scope: scope }));
  return { group: out.RuleGroup as RuleGroup, lockToken: out.LockToken as string };
}

const group = async (arn: string) => (await read(arn)).group;

async function addresses(arn: string): Promise<string[]> {
  const { name, id, scope } = parseIpSetArn(arn);
  return (await waf.send(new GetIPSetCommand({ Name: name, Id: id, Scope: scope }))).IPSet?.Addresses ?? [];
}

describe('Custom::MaintenanceRuleGroup (handlers/rule-group-resource.ts) against moto', () => {
  let stack: ProvisionedStack;
  let listener: ResponseListener;
  let requests = 0;
  const handler = resourceHandler();

  beforeAll(async () => {
    [stack, listener] = await Promise.all([provisionTestStack('cr'), startResponseListener()]);
  }, 60_000);
  afterAll(() => listener.stop());

  const uniqueName = () => `waf-maintenance-cr${randomBytes(4).toString('hex')}`;
  const props = (name: string, pageStyle: PageStyle = 'hosted', extra: Record<string, string> = {}) => ({
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-t-ruleGroupResource',
    Name: name,
    PageStyle: pageStyle,
    TableName: stack.tableName,
    // CloudFormation hands every property value over as a string.
    RulesRevision: '1',
    AttachTo: '',
    ...extra,
  });

  /** Sends one request to `run` and returns the answer the listener got, after checking how it was sent. */
  async function send(
    request: Record<string, unknown>,
    run = handler,
    context = countingDownContext(60_000),
  ): Promise<Answer> {
    const id = `req-${++requests}`;
    const event = {
      ServiceToken: 'token',
      ResponseURL: listener.url(`/${id}?X-Amz-Signature=abc`),
      StackId: STACK_ID,
      RequestId: id,
      LogicalResourceId: 'MaintenanceRuleGroup',
      ResourceType: 'Custom::MaintenanceRuleGroup',
      ...request,
    } as unknown as CloudFormationCustomResourceEvent;
    await run(event, context);
    const put = await listener.next(`/${id}?X-Amz-Signature=abc`);
    expect(put.method).toBe('PUT');
    // The presigned URL was signed without a content type: the PUT must carry an empty one.
    expect(put.headers['content-type']).toBe('');
    expect(Number(put.headers['content-length'])).toBe(Buffer.byteLength(put.body));
    const answer = JSON.parse(put.body) as Answer;
    expect(answer).toMatchObject({
      StackId: STACK_ID,
      RequestId: id,
      LogicalResourceId: 'MaintenanceRuleGroup',
    });
    return answer;
  }

  const create = (name: string, pageStyle: PageStyle = 'hosted', run = handler) =>
    send({ RequestType: 'Create', ResourceProperties: props(name, pageStyle) }, run);

  it('creates the rule group off and both bypass sets empty, and answers their ARNs', async () => {
    const name = uniqueName();
    const answer = await create(name);

    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: answer.Data?.Arn });
    const data = answer.Data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['Arn', 'Id', 'Ipv4SetArn', 'Ipv6SetArn', 'Name']);
    expect(data.Name).toBe(name);
    expect(data.Arn).toMatch(new RegExp(`:global/rulegroup/${name}/${data.Id}$`));
    expect(data.Ipv4SetArn).toMatch(new RegExp(`:global/ipset/${name}-bypass-v4/`));
    expect(data.Ipv6SetArn).toMatch(new RegExp(`:global/ipset/${name}-bypass-v6/`));

    const created = await group(data.Arn as string);
    const ipSets = { v4: data.Ipv4SetArn as string, v6: data.Ipv6SetArn as string };
    const { Description, VisibilityConfig, Rules, CustomResponseBodies } = ruleGroupDocument(
      name,
      initialState(ipSets, 'hosted'),
    );
    expect(created).toMatchObject({ Capacity: RULE_GROUP_CAPACITY, Description, VisibilityConfig });
    expect(created.Rules).toEqual(Rules);
    expect(created.CustomResponseBodies).toEqual(CustomResponseBodies);
    for (const [arn, version] of [
      [ipSets.v4, 'IPV4'],
      [ipSets.v6, 'IPV6'],
    ] as const) {
      const { name: setName, id } = parseIpSetArn(arn);
      const set = (await waf.send(new GetIPSetCommand({ Name: setName, Id: id, Scope: 'CLOUDFRONT' }))).IPSet;
      expect(set).toMatchObject({ IPAddressVersion: version, Addresses: [] });
    }
  });

  describe('an Update while maintenance is on, with a reason, a Retry-After and bypass addresses', () => {
    let name: string;
    let arn: string;
    let before: { group: RuleGroup; lockToken: string };
    let ipSets: { v4: string; v6: string };

    beforeAll(async () => {
      name = uniqueName();
      const answer = await create(name);
      arn = answer.Data?.Arn as string;
      ipSets = { v4: answer.Data?.Ipv4SetArn as string, v6: answer.Data?.Ipv6SetArn as string };
      // Turned on by the toggle's own code, as POST /maintenance does.
      const deps = awsDeps({
        RULE_GROUP_ARN: arn,
        TABLE_NAME: stack.tableName,
        BYPASS_IPV4_ARN: ipSets.v4,
        BYPASS_IPV6_ARN: ipSets.v6,
        MAINTENANCE_PAGE: 'hosted',
      });
      await setMaintenanceMode(
        { ...deps, deadline: Deadline.in(systemClock, 20_000) },
        { enabled: true, reason: 'Database upgrade <b>now</b>', retryAfterSeconds: 1800, actor: 'ops' },
      );
      const sets = new WafBypassSets(waf, { 4: parseIpSetArn(ipSets.v4), 6: parseIpSetArn(ipSets.v6) });
      await sets.put(await sets.get(4), ['192.0.2.0/24', '198.51.100.7/32']);
      await sets.put(await sets.get(6), ['2001:db8::/48']);
      before = await read(arn);
      expect(readSwitchState(before.group)).toMatchObject({ enabled: true, retryAfterSeconds: 1800 });
    }, 60_000);

    const update = (pageStyle: PageStyle, old: PageStyle, revision: string) =>
      send({
        RequestType: 'Update',
        PhysicalResourceId: arn,
        ResourceProperties: props(name, pageStyle, { RulesRevision: revision }),
        OldResourceProperties: props(name, old),
      });

    it('restates the whole group with the current rules and keeps every live part', async () => {
      const answer = await update('hosted', 'hosted', '2');

      expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
      expect(answer.Data).toMatchObject({ Arn: arn, Ipv4SetArn: ipSets.v4, Ipv6SetArn: ipSets.v6 });
      const after = await read(arn);
      // Written (a new lock token), and to exactly what the current code makes of the live state.
      expect(after.lockToken).not.toBe(before.lockToken);
      expect(readSwitchState(after.group)).toEqual(readSwitchState(before.group));
      const expected = ruleGroupDocument(name, readSwitchState(before.group));
      expect(after.group.Rules).toEqual(expected.Rules);
      expect(after.group.CustomResponseBodies).toEqual(before.group.CustomResponseBodies);
      expect(await addresses(ipSets.v4)).toEqual(['192.0.2.0/24', '198.51.100.7/32']);
      expect(await addresses(ipSets.v6)).toEqual(['2001:db8::/48']);
    });

    it('renders the bodies again, with the current reason, for another page style', async () => {
      const live = readSwitchState(await group(arn));
      const answer = await update('inline', 'hosted', '2');

      expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
      const after = readSwitchState(await group(arn));
      const desired = { enabled: true, retryAfterSeconds: 1800, reason: 'Database upgrade <b>now</b>' };
      expect(after.bodies).toEqual(withMaintenance(live, desired, 'any', 'inline').bodies);
      expect(after.bodies).not.toEqual(live.bodies);
      expect(after.bodies['maintenance-html'].Content).toContain('Database upgrade &lt;b&gt;now&lt;/b&gt;');
      expect({ ...after, bodies: null }).toEqual({ ...live, bodies: null });
      expect(await addresses(ipSets.v4)).toEqual(['192.0.2.0/24', '198.51.100.7/32']);
    });
  });

  it('creates the switch again on an Update that finds its group gone, under a new PhysicalResourceId', async () => {
    const name = uniqueName();
    const first = await create(name);
    const removed = await send({
      RequestType: 'Delete',
      PhysicalResourceId: first.PhysicalResourceId,
      ResourceProperties: props(name),
    });
    expect(removed.Status).toBe('SUCCESS');

    const answer = await send({
      RequestType: 'Update',
      PhysicalResourceId: first.PhysicalResourceId,
      ResourceProperties: props(name, 'hosted', { RulesRevision: '2' }),
      OldResourceProperties: props(name),
    });
    expect(answer.Status).toBe('SUCCESS');
    expect(answer.PhysicalResourceId).not.toBe(first.PhysicalResourceId);
    expect(await named('rulegroup', name)).toEqual([answer.PhysicalResourceId]);
  });

  it('deletes the group and both sets, and answers SUCCESS again once they are gone', async () => {
    const name = uniqueName();
    const { Data } = await create(name);
    const request = { RequestType: 'Delete', PhysicalResourceId: Data?.Arn, ResourceProperties: props(name) };

    expect(await send(request)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: Data?.Arn });
    expect(await named('rulegroup', name)).toEqual([]);
    expect(await named('ipset', `${name}-bypass-v4`)).toEqual([]);
    expect(await named('ipset', `${name}-bypass-v6`)).toEqual([]);
    expect(await send(request)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: Data?.Arn });
  });

  it('refuses a Create whose group name is taken, and deletes the sets it had made', async () => {
    const name = uniqueName();
    const first = await create(name);
    const answer = await create(name);

    expect(answer.Status).toBe('FAILED');
    // moto's own error type (WafV2DuplicateItem); AWS's WAFDuplicateItemException is worded below.
    expect(answer.Reason).toContain(`CreateRuleGroup on rule group ${name}`);
    expect(answer.Reason).toContain(
      `Deleted what this request had made: IP set ${name}-bypass-v4, IP set ${name}-bypass-v6.`,
    );
    // Not the existing group's ARN: the rollback's Delete of this id must not delete it.
    expect(answer.PhysicalResourceId).toMatch(/^not-created:/);
    expect(await named('ipset', `${name}-bypass-v4`)).toEqual([first.Data?.Ipv4SetArn]);
    expect(await named('ipset', `${name}-bypass-v6`)).toEqual([first.Data?.Ipv6SetArn]);
    expect(await named('rulegroup', name)).toEqual([first.Data?.Arn]);

    const rollback = await send({
      RequestType: 'Delete',
      PhysicalResourceId: answer.PhysicalResourceId,
      ResourceProperties: props(name),
    });
    expect(rollback.Status).toBe('SUCCESS');
    expect(await named('rulegroup', name)).toEqual([first.Data?.Arn]);
  });

  it('answers FAILED for invalid properties, having made nothing', async () => {
    const name = uniqueName();
    const answer = await send({
      RequestType: 'Create',
      ResourceProperties: { ...props(name), PageStyle: 'fancy', TableName: '' },
    });
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(/PageStyle/);
    expect(answer.Reason).toMatch(/TableName/);
    expect(await named('ipset', `${name}-bypass-v4`)).toEqual([]);
  });

  describe('with a fault proxy in front of moto', () => {
    let proxy: FaultProxy;
    let viaProxy: ReturnType<typeof resourceHandler>;

    beforeAll(async () => {
      proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL as string);
      viaProxy = resourceHandler(proxy.url);
    });
    afterEach(() => proxy.heal());
    afterAll(() => proxy.stop());

    it('answers FAILED naming an IP set whose name is taken, and deletes the set it had made', async () => {
      const name = uniqueName();
      // moto lets IP sets share a name; AWS answers CreateIPSet so.
      proxy.inject({
        kind: 'fail',
        status: 400,
        errorType: 'WAFDuplicateItemException',
        match: operation('CreateIPSet', `${name}-bypass-v6`),
      });
      const answer = await create(name, 'hosted', viaProxy);

      expect(answer).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: expect.stringMatching(/^not-created:/),
      });
      expect(answer.Reason).toContain(`IP set ${name}-bypass-v6 already exists`);
      expect(answer.Reason).toContain(`Deleted what this request had made: IP set ${name}-bypass-v4.`);
      expect(await named('ipset', `${name}-bypass-v4`)).toEqual([]);
      expect(await named('rulegroup', name)).toEqual([]);
    });

    it('deletes nothing while a web ACL references the group, and says to detach first', async () => {
      const name = uniqueName();
      const { Data } = await create(name);
      // moto deletes a referenced group; AWS refuses with WAFAssociatedItemException.
      proxy.inject({
        kind: 'fail',
        status: 400,
        errorType: 'WAFAssociatedItemException',
        match: operation('DeleteRuleGroup'),
      });
      const answer = await send(
        {
          RequestType: 'Delete',
          PhysicalResourceId: Data?.Arn,
          ResourceProperties: props(name, 'inline', { AttachTo: ATTACHED.join(',') }),
        },
        viaProxy,
      );

      expect(answer).toMatchObject({ Status: 'FAILED', PhysicalResourceId: Data?.Arn });
      expect(answer.Reason).toContain('nothing was deleted');
      for (const acl of ATTACHED) expect(answer.Reason).toContain(`\`maintenance detach --web-acl ${acl}\``);
      expect(await named('rulegroup', name)).toEqual([Data?.Arn]);
      expect(await named('ipset', `${name}-bypass-v4`)).toEqual([Data?.Ipv4SetArn]);
      expect(await named('ipset', `${name}-bypass-v6`)).toEqual([Data?.Ipv6SetArn]);
    });

    it('answers FAILED before the function times out when AWS stalls, having deleted what it made', async () => {
      const name = uniqueName();
      proxy.inject({ kind: 'stall-request', ms: 30_000, match: operation('CreateRuleGroup', name) });
      // 16 s left: 4 s kept for the PUT and 10 s for the undo leave the work 2 s.
      const started = Date.now();
      const answer = await send(
        { RequestType: 'Create', ResourceProperties: props(name) },
        viaProxy,
        countingDownContext(16_000),
      );

      expect(Date.now() - started).toBeLessThan(8_000);
      expect(answer.Status).toBe('FAILED');
      expect(answer.Reason).toContain("did not finish before the function's time was up");
      expect(answer.Reason).toContain(`AWS did not answer CreateRuleGroup ${name}`);
      expect(answer.Reason).toContain(
        `Deleted what this request had made: IP set ${name}-bypass-v4, IP set ${name}-bypass-v6.`,
      );
      expect(await named('ipset', `${name}-bypass-v4`)).toEqual([]);
      expect(await named('ipset', `${name}-bypass-v6`)).toEqual([]);
      expect(await named('rulegroup', name)).toEqual([]);
    }, 30_000);
  });
});
