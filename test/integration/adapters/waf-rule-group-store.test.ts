import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { parseRuleGroupArn, parseWebAclArn } from '../../../src/adapters/aws/waf-arn';
import { WafRuleGroupStore } from '../../../src/adapters/aws/waf-rule-group-store';
import { WafWebAclStore } from '../../../src/adapters/aws/waf-web-acl-store';
import { MisconfiguredError, StaleLockError } from '../../../src/domain/errors';
import { readSwitchState, ruleGroupDocument, withMaintenance } from '../../../src/domain/rule-group';
import { referencesGroup } from '../../../src/domain/rule-group-reference';
import { provisionTestStack } from '../../support/stack';

const on = { enabled: true, retryAfterSeconds: 60, reason: 'Upgrade' };
const off = { enabled: false, retryAfterSeconds: 60, reason: null };

describe('WafRuleGroupStore against moto', () => {
  const waf = new WAFV2Client({ region: 'us-east-1' });

  it('reads the provisioned group with its lock token: off, letting both bypass sets through', async () => {
    const stack = await provisionTestStack();
    const { group, lockToken } = await new WafRuleGroupStore(
      waf,
      parseRuleGroupArn(stack.ruleGroupArn),
    ).get();
    expect(lockToken).toEqual(expect.any(String));
    expect(readSwitchState(group)).toMatchObject({
      enabled: false,
      ipSets: { v4: stack.ipSetArns.ipv4, v6: stack.ipSetArns.ipv6 },
    });
  });

  it('writes the whole document back and reads it as written', async () => {
    const stack = await provisionTestStack();
    const store = new WafRuleGroupStore(waf, parseRuleGroupArn(stack.ruleGroupArn));
    const { group, lockToken } = await store.get();
    const next = withMaintenance(readSwitchState(group), on, 'c1', 'hosted');
    await store.put(ruleGroupDocument(group.Name ?? '', next), lockToken);
    expect(readSwitchState((await store.get()).group)).toEqual(next);
  });

  it('refuses a write with a stale lock token as StaleLockError, leaving the group as it was', async () => {
    const stack = await provisionTestStack();
    const store = new WafRuleGroupStore(waf, parseRuleGroupArn(stack.ruleGroupArn));
    const first = await store.get();
    const name = first.group.Name ?? '';
    await store.put(
      ruleGroupDocument(name, withMaintenance(readSwitchState(first.group), on, 'a', 'hosted')),
      first.lockToken,
    );
    const afterFirst = await store.get();
    const stale = store.put(
      ruleGroupDocument(name, withMaintenance(readSwitchState(first.group), off, 'b', 'hosted')),
      first.lockToken,
    );
    await expect(stale).rejects.toBeInstanceOf(StaleLockError);
    expect((await store.get()).group).toEqual(afterFirst.group);
  });

  it('reports a missing group as MisconfiguredError', async () => {
    const store = new WafRuleGroupStore(waf, {
      name: 'nope',
      scope: 'CLOUDFRONT',
      id: '00000000-0000-0000-0000-000000000000',
    });
    await expect(store.get()).rejects.toBeInstanceOf(MisconfiguredError);
  });
});

describe('the managed web ACL as provisioned', () => {
  it('carries the switch by one rule: the reference to the group, first, with OverrideAction None', async () => {
    const stack = await provisionTestStack();
    const { acl } = await new WafWebAclStore(
      new WAFV2Client({ region: 'us-east-1' }),
      parseWebAclArn(stack.webAclArn),
    ).get();
    expect(acl.Rules).toHaveLength(1);
    const [reference] = acl.Rules ?? [];
    expect(reference && referencesGroup(reference, stack.ruleGroupArn)).toBe(true);
    expect(reference).toMatchObject({ Priority: 0, OverrideAction: { None: {} } });
    expect(acl.CustomResponseBodies ?? {}).toEqual({});
  });
});
