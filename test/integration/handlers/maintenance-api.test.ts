import { GetRuleGroupCommand, GetWebACLCommand, type RuleGroup, WAFV2Client } from '@aws-sdk/client-wafv2';
import { createHandler as createGet } from '../../../handlers/get-maintenance';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { windowDeps } from '../../../handlers/lib/window-deps';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { parseRuleGroupArn, parseWebAclArn } from '../../../src/adapters/aws/waf-arn';
import { BYPASS_LINK_RULE_NAME } from '../../../src/domain/bypass-link';
import {
  HTML_RULE_NAME,
  JSON_RULE_NAME,
  PASS_RULE_NAME,
  readSwitchState,
} from '../../../src/domain/rule-group';
import { mintToken } from '../../../src/use-cases/mint-token';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { FakeEdge } from '../../support/fakes';
import { handlerEnv, provisionTestStack } from '../../support/stack';

const waf = new WAFV2Client({ region: 'us-east-1' });

async function readGroup(stack: ProvisionedStack): Promise<{ group: RuleGroup; lockToken: string }> {
  const ref = parseRuleGroupArn(stack.ruleGroupArn);
  const out = await waf.send(new GetRuleGroupCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }));
  return { group: out.RuleGroup as RuleGroup, lockToken: out.LockToken as string };
}

/** The managed web ACL's lock token: a toggle must never write the ACL. */
async function aclLockToken(stack: ProvisionedStack): Promise<string> {
  const ref = parseWebAclArn(stack.webAclArn);
  return (await waf.send(new GetWebACLCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope })))
    .LockToken as string;
}

describe('maintenance API against moto', () => {
  let stack: ProvisionedStack;
  let operator: string;
  let setHandler: ReturnType<typeof createSet>;
  let getHandler: ReturnType<typeof createGet>;

  beforeAll(async () => {
    stack = await provisionTestStack();
    const deps = { ...awsDeps(handlerEnv(stack)), ...windowDeps(handlerEnv(stack)) };
    operator = (await mintToken(deps, { name: 'deploy-bot', role: 'operator' })).token;
    setHandler = createSet(deps);
    // The edge is looked at in the doctor tests; here the status itself is under test.
    const expected = {
      groupArn: stack.ruleGroupArn,
      webAclArns: [stack.webAclArn],
      ipSets: { v4: stack.ipSetArns.ipv4, v6: stack.ipSetArns.ipv6 },
    };
    getHandler = createGet({ ...deps, edge: new FakeEdge(), expected });
  });

  const status = () => invoke(getHandler, httpEvent({ headers: { authorization: `Bearer ${operator}` } }));

  it('turns maintenance on and off by writing the rule group only, never the web ACL', async () => {
    const aclBefore = await aclLockToken(stack);
    const on = await invoke(
      setHandler,
      jsonPost(operator, { enabled: true, reason: 'Database upgrade', retryAfterSeconds: 1800 }),
    );
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      enabled: true,
      action: 'BLOCK',
      retryAfterSeconds: 1800,
      changedBy: 'deploy-bot',
      changed: true,
    });

    const { group } = await readGroup(stack);
    expect(group.Rules?.map((r) => [r.Name, r.Priority])).toEqual([
      [BYPASS_LINK_RULE_NAME, 0],
      [PASS_RULE_NAME, 1],
      [JSON_RULE_NAME, 2],
      [HTML_RULE_NAME, 3],
    ]);
    const html = group.Rules?.find((r) => r.Name === HTML_RULE_NAME);
    expect(html?.Action?.Block?.CustomResponse).toMatchObject({
      ResponseCode: 503,
      CustomResponseBodyKey: 'maintenance-html',
      ResponseHeaders: expect.arrayContaining([{ Name: 'Retry-After', Value: '1800' }]),
    });
    expect(JSON.parse(group.CustomResponseBodies?.['maintenance-json']?.Content ?? '{}')).toMatchObject({
      status: 503,
      detail: 'Database upgrade',
      retryAfterSeconds: 1800,
    });
    expect(group.CustomResponseBodies?.['maintenance-html']?.Content).toContain('Database upgrade');
    expect(readSwitchState(group).ipSets).toEqual({ v4: stack.ipSetArns.ipv4, v6: stack.ipSetArns.ipv6 });

    const off = await invoke(setHandler, jsonPost(operator, { enabled: false }));
    expect(off.body).toMatchObject({ enabled: false, action: 'COUNT', changed: true });
    expect(readSwitchState((await readGroup(stack)).group).enabled).toBe(false);
    expect(await aclLockToken(stack)).toBe(aclBefore);
  });

  it('makes no write when the group is already as asked', async () => {
    await invoke(setHandler, jsonPost(operator, { enabled: true, retryAfterSeconds: 60 }));
    const { lockToken } = await readGroup(stack);
    const again = await invoke(setHandler, jsonPost(operator, { enabled: true, retryAfterSeconds: 60 }));
    expect(again.body.changed).toBe(false);
    expect((await readGroup(stack)).lockToken).toBe(lockToken);
  });

  it('changes nothing for refused requests', async () => {
    const { group, lockToken } = await readGroup(stack);
    const refused = await Promise.all([
      invoke(setHandler, jsonPost(undefined, { enabled: !readSwitchState(group).enabled })),
      invoke(setHandler, jsonPost(`wmt_${'q'.repeat(43)}`, { enabled: true, retryAfterSeconds: 7 })),
      invoke(setHandler, jsonPost(operator, { enabled: true, retryAfterSeconds: 7, extra: 1 })),
      invoke(setHandler, jsonPost(operator, '{"enabled":')),
      invoke(setHandler, jsonPost(operator, '{"enabled":false,"enabled":true}')),
    ]);
    expect(refused.map((r) => r.status)).toEqual([401, 401, 400, 400, 400]);
    expect((await readGroup(stack)).lockToken).toBe(lockToken);
  });

  it('survives 12 simultaneous toggles: every one answered, no rule lost or duplicated, status agrees with the group', async () => {
    const requests = Array.from({ length: 12 }, (_, i) => ({
      enabled: i % 2 === 0,
      reason: `race ${i}`,
      retryAfterSeconds: 100 + i,
    }));
    const answers = await Promise.all(requests.map((body) => invoke(setHandler, jsonPost(operator, body))));

    expect(answers.map((a) => a.status)).toEqual(requests.map(() => 200));
    const { group } = await readGroup(stack);
    const state = readSwitchState(group);
    // The link rule exists exactly while on; nothing is lost or duplicated.
    expect(group.Rules?.map((r) => r.Name)).toEqual([
      ...(state.enabled ? [BYPASS_LINK_RULE_NAME] : []),
      PASS_RULE_NAME,
      JSON_RULE_NAME,
      HTML_RULE_NAME,
    ]);

    const now = await status();
    expect(now.body.enabled).toBe(state.enabled);
    // The reason shown belongs to the very request whose write is in the group.
    const winner = requests[Number(String(now.body.reason).replace('race ', ''))];
    expect(winner?.enabled).toBe(now.body.enabled);
    if (winner?.enabled) {
      expect(now.body.retryAfterSeconds).toBe(winner.retryAfterSeconds);
      expect(state.retryAfterSeconds).toBe(winner.retryAfterSeconds);
    }
  });
});
