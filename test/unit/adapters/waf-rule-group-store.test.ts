import {
  GetRuleGroupCommand,
  UpdateRuleGroupCommand,
  type UpdateRuleGroupCommandInput,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { toUpdateRuleGroupInput, WafRuleGroupStore } from '../../../src/adapters/aws/waf-rule-group-store';
import { BYPASS_LINK_RULE_NAME, bypassLinkRule, secretStatements } from '../../../src/domain/bypass-link';
import { Deadline } from '../../../src/domain/deadline';
import { ConflictError, MisconfiguredError } from '../../../src/domain/errors';
import {
  HTML_RULE_NAME,
  JSON_RULE_NAME,
  PASS_RULE_NAME,
  readSwitchState,
  ruleGroupDocument,
} from '../../../src/domain/rule-group';
import { setMaintenanceMode } from '../../../src/use-cases/set-maintenance-mode';
import { aRuleGroup, FakeClock, InMemoryAuditLog, InMemoryChangeLog } from '../../support/fakes';
import { WAF_WRITE_FAULTS, wafError } from '../../support/waf-faults';

// The exact input of UpdateRuleGroup, which moto cannot check because it merges omitted fields instead of
// deleting them, and the faults moto cannot produce (throttling, 5xx, a lock token that keeps changing).

const REF = {
  name: 'waf-maintenance-t',
  id: '33333333-3333-3333-3333-333333333333',
  scope: 'CLOUDFRONT' as const,
};

/** What AWS needs for the group to keep every rule and body: the whole document, nothing read-only. */
function expectWholeDocument(input: UpdateRuleGroupCommandInput | undefined) {
  // The link rule is there only while on; the other three always.
  expect(input?.Rules?.map((r) => r.Name).filter((name) => name !== BYPASS_LINK_RULE_NAME)).toEqual([
    PASS_RULE_NAME,
    JSON_RULE_NAME,
    HTML_RULE_NAME,
  ]);
  expect(Object.keys(input?.CustomResponseBodies ?? {}).sort()).toEqual([
    'maintenance-html',
    'maintenance-json',
  ]);
  expect(input?.VisibilityConfig).toBeDefined();
  expect(input?.Description).toBeDefined();
  for (const readOnly of ['ARN', 'Capacity', 'LabelNamespace', 'AvailableLabels', 'ConsumedLabels']) {
    expect(input).not.toHaveProperty(readOnly);
  }
}

const SECRET = 'store-secret-store-secret-store-secret-sto';

describe('WafRuleGroupStore request shape and faults (aws-sdk-client-mock)', () => {
  const mock = mockClient(WAFV2Client);
  const client = new WAFV2Client({ region: 'us-east-1' });
  const store = new WafRuleGroupStore(client, REF);
  const toggle = (random = 0.5) => {
    const clock = new FakeClock();
    return setMaintenanceMode(
      {
        ruleGroup: store,
        changes: new InMemoryChangeLog(),
        audit: new InMemoryAuditLog(),
        clock,
        policy: { budgetMs: 5_000, baseDelayMs: 50, maxDelayMs: 500, random: () => random },
        deadline: Deadline.in(clock, 27_000),
        pageStyle: 'hosted',
        newId: () => 'c1',
        newSecret: () => SECRET,
      },
      { enabled: true, reason: 'Upgrade', retryAfterSeconds: 600, actor: 'a' },
    );
  };

  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  it('restates the whole group on a toggle, the rules and bodies it did not change included', async () => {
    mock.on(GetRuleGroupCommand).resolves({ RuleGroup: aRuleGroup(), LockToken: 'lock-1' });
    mock.on(UpdateRuleGroupCommand).resolves({ NextLockToken: 'lock-2' });
    await toggle();

    const calls = mock.commandCalls(UpdateRuleGroupCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    const read = aRuleGroup();
    const [pass, json, html] = read.Rules ?? [];
    const block = (key: string) => ({
      Block: {
        CustomResponse: {
          ResponseCode: 503,
          CustomResponseBodyKey: key,
          ResponseHeaders: [
            { Name: 'Retry-After', Value: '600' },
            { Name: 'Cache-Control', Value: 'no-store' },
          ],
        },
      },
    });
    const label = [{ Name: 'maintenance-switch:change:c1' }];
    expect(input).toEqual({
      Name: REF.name,
      Scope: 'CLOUDFRONT',
      Id: REF.id,
      LockToken: 'lock-1',
      Description: read.Description,
      VisibilityConfig: read.VisibilityConfig,
      Rules: [
        { ...bypassLinkRule(SECRET), Priority: 0, VisibilityConfig: expect.anything() },
        {
          ...pass,
          Priority: 1,
          Statement: {
            OrStatement: {
              Statements: [...(pass?.Statement?.OrStatement?.Statements ?? []), ...secretStatements(SECRET)],
            },
          },
        },
        { ...json, Priority: 2, Action: block('maintenance-json'), RuleLabels: label },
        { ...html, Priority: 3, Action: block('maintenance-html'), RuleLabels: label },
      ],
      CustomResponseBodies: {
        'maintenance-html': {
          ContentType: 'TEXT_HTML',
          Content: expect.stringContaining('<p dir="auto">Upgrade</p>'),
        },
        'maintenance-json': {
          ContentType: 'APPLICATION_JSON',
          Content: expect.stringContaining('"detail":"Upgrade"'),
        },
      },
    });
    expectWholeDocument(input);
  });

  it('would catch a write that leans on an emulator merging what it leaves out', () => {
    // What a store tested only against moto could get away with: sending only the rules it changed.
    const { Rules, ...rest } = toUpdateRuleGroupInput(
      REF,
      ruleGroupDocument(REF.name, readSwitchState(aRuleGroup())),
      'l',
    );
    const merging = { ...rest, Rules: Rules?.slice(1) };
    delete merging.CustomResponseBodies;
    expect(() => expectWholeDocument(merging)).toThrow();
  });

  it.each(WAF_WRITE_FAULTS)('translates %s into the domain error', async (name, status, type) => {
    mock.on(UpdateRuleGroupCommand).rejects(wafError(name, status));
    await expect(
      store.put(ruleGroupDocument(REF.name, readSwitchState(aRuleGroup())), 'lock'),
    ).rejects.toBeInstanceOf(type);
  });

  it('translates WAFNonexistentItemException on read into MisconfiguredError', async () => {
    mock.on(GetRuleGroupCommand).rejects(wafError('WAFNonexistentItemException'));
    await expect(store.get()).rejects.toBeInstanceOf(MisconfiguredError);
  });

  it('answers ConflictError when the lock token keeps changing, after re-reading each time', async () => {
    let n = 0;
    mock
      .on(GetRuleGroupCommand)
      .callsFake(async () => ({ RuleGroup: aRuleGroup(), LockToken: `lock-${++n}` }));
    mock.on(UpdateRuleGroupCommand).rejects(wafError('WAFOptimisticLockException'));
    await expect(toggle(1)).rejects.toBeInstanceOf(ConflictError);
    const gets = mock.commandCalls(GetRuleGroupCommand).length;
    const updates = mock.commandCalls(UpdateRuleGroupCommand);
    expect(gets).toBe(updates.length);
    expect(updates.map((c) => c.args[0].input.LockToken)).toEqual(updates.map((_c, i) => `lock-${i + 1}`));
  });

  it('keeps retrying throttled writes and succeeds once AWS lets it through', async () => {
    mock.on(GetRuleGroupCommand).resolves({ RuleGroup: aRuleGroup(), LockToken: 'lock' });
    mock
      .on(UpdateRuleGroupCommand)
      .rejectsOnce(wafError('ThrottlingException'))
      .rejectsOnce(wafError('ThrottlingException'))
      .resolves({ NextLockToken: 'next' });
    expect((await toggle()).changed).toBe(true);
    expect(mock.commandCalls(UpdateRuleGroupCommand)).toHaveLength(3);
  });
});
