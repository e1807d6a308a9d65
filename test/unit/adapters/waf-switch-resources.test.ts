import {
  CreateIPSetCommand,
  CreateRuleGroupCommand,
  DeleteIPSetCommand,
  DeleteRuleGroupCommand,
  GetIPSetCommand,
  GetRuleGroupCommand,
  type RuleGroup,
  UpdateRuleGroupCommand,
  WAFAssociatedItemException,
  WAFDuplicateItemException,
  WAFNonexistentItemException,
  WAFOptimisticLockException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { WafSwitchResources } from '../../../src/adapters/aws/waf-switch-resources';
import { MisconfiguredError } from '../../../src/domain/errors';
import type { RetryPolicy } from '../../../src/domain/retry';
import {
  initialState,
  RULE_GROUP_CAPACITY,
  ruleGroupDocument,
  withMaintenance,
} from '../../../src/domain/rule-group';
import type { ChangeLog } from '../../../src/ports/change-log';
import { systemClock } from '../../../src/ports/clock';
import { StillReferencedError } from '../../../src/ports/switch-resources';
import { createSwitch, updateSwitch } from '../../../src/use-cases/provision-switch';
import { removeSwitch } from '../../../src/use-cases/remove-switch';

// The exact inputs of the custom resource's WAF calls, which moto cannot check (it merges an update that
// omits fields, and validates neither statements nor capacity), and the faults moto does not produce.

const ACCOUNT = 'arn:aws:wafv2:us-east-1:123456789012:global';
const NAME = 'waf-maintenance-u';
const GROUP_ARN = `${ACCOUNT}/rulegroup/${NAME}/33333333-3333-3333-3333-333333333333`;
const IP_SETS = {
  v4: `${ACCOUNT}/ipset/${NAME}-bypass-v4/44444444-4444-4444-4444-444444444444`,
  v6: `${ACCOUNT}/ipset/${NAME}-bypass-v6/66666666-6666-6666-6666-666666666666`,
};
const FAST: RetryPolicy = { budgetMs: 2_000, baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 };
const meta = { $metadata: { httpStatusCode: 400 }, message: 'from AWS' };

const noChanges: ChangeLog = {
  record: async () => {},
  find: async () => null,
};

function setup() {
  const client = new WAFV2Client({ region: 'us-east-1' });
  const mock = mockClient(client);
  const waf = new WafSwitchResources(client);
  return { mock, waf, deps: { waf, changes: noChanges, clock: systemClock, policy: FAST } };
}

/** The live group as GetRuleGroup gives it, maintenance on. */
function liveGroup(overrides: Partial<RuleGroup> = {}): RuleGroup {
  const on = withMaintenance(
    initialState(IP_SETS, 'hosted'),
    { enabled: true, retryAfterSeconds: 600, reason: null },
    'c1',
    'hosted',
    () => 'live-secret-live-secret-live-secret-live-s',
  );
  return {
    Name: NAME,
    Id: '33333333-3333-3333-3333-333333333333',
    ARN: GROUP_ARN,
    Capacity: RULE_GROUP_CAPACITY,
    ...ruleGroupDocument(NAME, on),
    ...overrides,
  };
}

describe('WafSwitchResources and the provisioning use cases (aws-sdk-client-mock)', () => {
  it('creates both sets empty and the group with the fixed capacity and the whole initial document', async () => {
    const { mock, deps } = setup();
    mock.on(CreateIPSetCommand, { Name: `${NAME}-bypass-v4` }).resolves({
      Summary: { ARN: IP_SETS.v4, Id: '44444444-4444-4444-4444-444444444444', Name: `${NAME}-bypass-v4` },
    });
    mock.on(CreateIPSetCommand, { Name: `${NAME}-bypass-v6` }).resolves({
      Summary: { ARN: IP_SETS.v6, Id: '66666666-6666-6666-6666-666666666666', Name: `${NAME}-bypass-v6` },
    });
    mock.on(CreateRuleGroupCommand).resolves({ Summary: { ARN: GROUP_ARN, Id: 'g', Name: NAME } });

    await createSwitch(deps, { name: NAME, pageStyle: 'inline' });

    const sets = mock.commandCalls(CreateIPSetCommand).map((c) => c.args[0].input);
    expect(sets).toEqual([
      expect.objectContaining({
        Name: `${NAME}-bypass-v4`,
        Scope: 'CLOUDFRONT',
        IPAddressVersion: 'IPV4',
        Addresses: [],
      }),
      expect.objectContaining({
        Name: `${NAME}-bypass-v6`,
        Scope: 'CLOUDFRONT',
        IPAddressVersion: 'IPV6',
        Addresses: [],
      }),
    ]);
    expect(mock.commandCalls(CreateRuleGroupCommand)[0]?.args[0].input).toEqual({
      Name: NAME,
      Scope: 'CLOUDFRONT',
      Capacity: RULE_GROUP_CAPACITY,
      ...ruleGroupDocument(NAME, initialState(IP_SETS, 'inline')),
    });
  });

  it('restates the group whole with the lock token, reading it again after a lock conflict', async () => {
    const { mock, deps } = setup();
    mock
      .on(GetRuleGroupCommand)
      .resolvesOnce({ RuleGroup: liveGroup(), LockToken: 'first' })
      .resolves({ RuleGroup: liveGroup(), LockToken: 'second' });
    mock
      .on(UpdateRuleGroupCommand)
      .rejectsOnce(new WAFOptimisticLockException(meta))
      .resolves({ NextLockToken: 'third' });

    await updateSwitch(deps, { name: NAME, pageStyle: 'hosted' }, GROUP_ARN, { previousPageStyle: 'hosted' });

    const inputs = mock.commandCalls(UpdateRuleGroupCommand).map((c) => c.args[0].input);
    const { Description, VisibilityConfig, Rules, CustomResponseBodies } = liveGroup();
    const whole = {
      Name: NAME,
      Scope: 'CLOUDFRONT',
      Id: liveGroup().Id,
      Description,
      VisibilityConfig,
      Rules,
      CustomResponseBodies,
    };
    expect(inputs).toEqual([
      { ...whole, LockToken: 'first' },
      { ...whole, LockToken: 'second' },
    ]);
  });

  it('refuses to write rules that need more than the capacity the live group was created with', async () => {
    const { mock, deps } = setup();
    mock.on(GetRuleGroupCommand).resolves({ RuleGroup: liveGroup({ Capacity: 5 }), LockToken: 't' });

    await expect(updateSwitch(deps, { name: NAME, pageStyle: 'hosted' }, GROUP_ARN)).rejects.toThrow(
      /need \d+ WCU, more than the 5/,
    );
    expect(mock.commandCalls(UpdateRuleGroupCommand)).toHaveLength(0);
  });

  it('words a taken name and a refused delete, and reports a gone group as absent', async () => {
    const { mock, waf } = setup();
    mock.on(CreateRuleGroupCommand).rejects(new WAFDuplicateItemException(meta));
    mock.on(GetRuleGroupCommand).rejects(new WAFNonexistentItemException(meta));
    mock.on(DeleteRuleGroupCommand).rejects(new WAFAssociatedItemException(meta));
    mock.on(GetIPSetCommand).rejects(new WAFNonexistentItemException(meta));

    const duplicate = waf.createRuleGroup(
      NAME,
      100,
      ruleGroupDocument(NAME, initialState(IP_SETS, 'hosted')),
    );
    await expect(duplicate).rejects.toThrow(MisconfiguredError);
    await expect(duplicate).rejects.toThrow(`rule group ${NAME} already exists`);
    await expect(waf.deleteRuleGroup(GROUP_ARN, 't')).rejects.toBeInstanceOf(StillReferencedError);
    expect(await waf.getRuleGroup(GROUP_ARN)).toBeNull();
    expect(await waf.deleteIpSet(IP_SETS.v4)).toBe(false);
  });

  it('deletes each IP set with the lock token it has just read', async () => {
    const { mock, waf } = setup();
    mock.on(GetIPSetCommand).resolves({ LockToken: 'set-token' });
    mock.on(DeleteIPSetCommand).resolves({});

    expect(await waf.deleteIpSet(IP_SETS.v6)).toBe(true);
    expect(mock.commandCalls(DeleteIPSetCommand)[0]?.args[0].input).toEqual({
      Name: `${NAME}-bypass-v6`,
      Scope: 'CLOUDFRONT',
      Id: '66666666-6666-6666-6666-666666666666',
      LockToken: 'set-token',
    });
  });

  it('deletes the group before its sets, and names the set it could not delete', async () => {
    const { mock, deps } = setup();
    mock.on(GetRuleGroupCommand).resolves({ RuleGroup: liveGroup(), LockToken: 'g' });
    mock.on(DeleteRuleGroupCommand).resolves({});
    mock.on(GetIPSetCommand).resolves({ LockToken: 's' });
    mock.on(DeleteIPSetCommand, { Name: `${NAME}-bypass-v4` }).resolves({});
    mock
      .on(DeleteIPSetCommand, { Name: `${NAME}-bypass-v6` })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    const removal = removeSwitch(deps, GROUP_ARN);
    await expect(removal).rejects.toThrow(
      `Deleted rule group ${NAME}, but not its bypass IP set ${IP_SETS.v6}`,
    );
    await expect(removal).rejects.toThrow(/DeleteIPSet on IP set .*AccessDeniedException/);
    const order = mock.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('DeleteRuleGroupCommand')).toBeLessThan(order.indexOf('DeleteIPSetCommand'));
  });
});
