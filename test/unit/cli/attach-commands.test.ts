import {
  GetWebACLCommand,
  ListRuleGroupsCommand,
  type Rule,
  UpdateWebACLCommand,
  type UpdateWebACLCommandInput,
  WAFLimitsExceededException,
  WAFOptimisticLockException,
  WAFV2Client,
  type WebACL,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { RULE_GROUP_CAPACITY } from '../../../src/domain/rule-group';
import { referenceRule } from '../../../src/domain/rule-group-reference';
import { runCli } from '../../support/cli';
import { FakeClock } from '../../support/fakes';
import { BLOCK_ADMIN, RATE_CAPTCHA, RENUMBERED, visibility } from '../../support/team-web-acl';

// The exact UpdateWebACL input, which moto cannot check (it keeps whatever an update omits, where AWS
// deletes it), and the faults moto cannot produce: a lock token that changes under us, a WAF limit.

const ID = '44444444-4444-4444-4444-444444444444';
const ACL_ARN = `arn:aws:wafv2:us-east-1:123456789012:global/webacl/team-site/${ID}`;
const GROUP = 'waf-maintenance-prod';
const GROUP_ARN = `arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/${GROUP}/55555555-5555-5555-5555-555555555555`;
/** Credentials as a user's shell holds them: the mock answers every call before they are used. */
const WITH_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAUNIT', AWS_SECRET_ACCESS_KEY: 'unit' };
/** A team's ACL as GetWebACL answers it: every field UpdateWebACL takes, and the read-only ones. */
function teamAcl(overrides: Partial<WebACL> = {}): WebACL {
  return {
    Name: 'team-site',
    Id: ID,
    ARN: ACL_ARN,
    DefaultAction: {
      Allow: { CustomRequestHandling: { InsertHeaders: [{ Name: 'x-team', Value: 'yes' }] } },
    },
    Description: "The team's own web ACL",
    Rules: [BLOCK_ADMIN, RATE_CAPTCHA],
    VisibilityConfig: visibility('team-site'),
    DataProtectionConfig: {
      DataProtections: [{ Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['x-secret'] }, Action: 'HASH' }],
    },
    CustomResponseBodies: { 'team-blocked': { ContentType: 'TEXT_PLAIN', Content: 'Blocked by the team.' } },
    CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 600 } },
    ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
    TokenDomains: ['example.com'],
    AssociationConfig: { RequestBody: { CLOUDFRONT: { DefaultSizeInspectionLimit: 'KB_64' } } },
    OnSourceDDoSProtectionConfig: { ALBLowReputationMode: 'ACTIVE_UNDER_DDOS' },
    ApplicationConfig: { Attributes: [{ Name: 'team', Values: ['web'] }] },
    MonetizationConfig: { CurrencyMode: 'TEST' },
    Capacity: 57,
    LabelNamespace: 'awswaf:123456789012:webacl:team-site:',
    ManagedByFirewallManager: false,
    RetrofittedByFirewallManager: false,
    ...overrides,
  };
}

describe('maintenance attach and detach: the WAF calls (aws-sdk-client-mock)', () => {
  const waf = mockClient(WAFV2Client);
  let clock: FakeClock;

  beforeEach(() => {
    waf.reset();
    clock = new FakeClock();
    waf.on(ListRuleGroupsCommand).resolves({ RuleGroups: [{ Name: GROUP, ARN: GROUP_ARN }] });
  });

  afterAll(() => waf.restore());

  const cli = (...argv: string[]) => runCli([...argv, '--stage', 'prod'], { env: WITH_CREDENTIALS, clock });
  const updates = () => waf.commandCalls(UpdateWebACLCommand).map((call) => call.args[0].input);

  it('restates every field of the ACL on attach --renumber, sending no read-only field', async () => {
    const acl = teamAcl();
    waf.on(GetWebACLCommand).resolves({ WebACL: acl, LockToken: 'lock-1' });
    waf.on(UpdateWebACLCommand).resolves({ NextLockToken: 'lock-2' });

    const result = await cli('attach', '--web-acl', ACL_ARN, '--renumber');

    expect(result).toEqual({
      code: 0,
      stdout:
        `Attached ${GROUP} to web ACL team-site: added ${GROUP} at priority 0; shifted the 2 other rules down by one priority.\n` +
        `Evaluation order: 0 ${GROUP}, 1 block-admin, 6 rate-captcha.\n`,
      stderr: '',
    });
    const expected: UpdateWebACLCommandInput = {
      Name: 'team-site',
      Scope: 'CLOUDFRONT',
      Id: ID,
      LockToken: 'lock-1',
      DefaultAction: acl.DefaultAction,
      Description: acl.Description,
      Rules: [referenceRule(GROUP_ARN, GROUP, 0), ...RENUMBERED],
      VisibilityConfig: acl.VisibilityConfig,
      DataProtectionConfig: acl.DataProtectionConfig,
      CustomResponseBodies: acl.CustomResponseBodies,
      CaptchaConfig: acl.CaptchaConfig,
      ChallengeConfig: acl.ChallengeConfig,
      TokenDomains: acl.TokenDomains,
      AssociationConfig: acl.AssociationConfig,
      OnSourceDDoSProtectionConfig: acl.OnSourceDDoSProtectionConfig,
      ApplicationConfig: acl.ApplicationConfig,
      MonetizationConfig: acl.MonetizationConfig,
    };
    expect(updates()).toEqual([expected]);
    for (const readOnly of ['ARN', 'Capacity', 'LabelNamespace', 'ManagedByFirewallManager']) {
      expect(updates()[0]).not.toHaveProperty(readOnly);
    }
  });

  it('restates every field on detach, with only the reference gone and no priority moved', async () => {
    const acl = teamAcl({ Rules: [referenceRule(GROUP_ARN, GROUP, 0), { ...BLOCK_ADMIN, Priority: 1 }] });
    waf.on(GetWebACLCommand).resolves({ WebACL: acl, LockToken: 'lock-1' });
    waf.on(UpdateWebACLCommand).resolves({ NextLockToken: 'lock-2' });

    const result = await cli('detach', '--web-acl', ACL_ARN);

    expect(result.stdout).toBe(
      `Detached ${GROUP} from web ACL team-site: removed ${GROUP} (priority 0).\nEvaluation order: 1 block-admin.\n`,
    );
    const { ARN: _a, Capacity: _c, LabelNamespace: _l, Name: _n, Id: _i, ...carried } = acl;
    const { ManagedByFirewallManager: _m, RetrofittedByFirewallManager: _r, ...fields } = carried;
    expect(updates()).toEqual([
      {
        ...fields,
        Name: 'team-site',
        Scope: 'CLOUDFRONT',
        Id: ID,
        LockToken: 'lock-1',
        Rules: [{ ...BLOCK_ADMIN, Priority: 1 }],
      },
    ]);
  });

  it('retries a stale lock token with a fresh read, writing with the new token', async () => {
    let reads = 0;
    waf.on(GetWebACLCommand).callsFake(async () => ({ WebACL: teamAcl(), LockToken: `lock-${++reads}` }));
    waf
      .on(UpdateWebACLCommand)
      .rejectsOnce(new WAFOptimisticLockException({ message: 'stale', $metadata: {} }))
      .resolves({ NextLockToken: 'next' });

    const result = await cli('attach', '--web-acl', ACL_ARN, '--renumber');

    expect(result.code).toBe(0);
    expect(reads).toBe(2);
    expect(updates().map((input) => input.LockToken)).toEqual(['lock-1', 'lock-2']);
  });

  it('gives up with exit 1 and writes nothing more when the lock token keeps changing', async () => {
    let reads = 0;
    waf.on(GetWebACLCommand).callsFake(async () => ({ WebACL: teamAcl(), LockToken: `lock-${++reads}` }));
    waf.on(UpdateWebACLCommand).rejects(new WAFOptimisticLockException({ message: 'stale', $metadata: {} }));

    const result = await cli('attach', '--web-acl', ACL_ARN, '--renumber');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^maintenance: Conflict: Another change kept winning \(\d+ attempts\)/);
    expect(updates().length).toBe(reads);
    expect(reads).toBeGreaterThan(2);
  });

  it('explains in words when WAF refuses the write for a limit', async () => {
    waf.on(GetWebACLCommand).resolves({ WebACL: teamAcl({ Capacity: 1_200 }), LockToken: 'lock-1' });
    waf.on(UpdateWebACLCommand).rejects(new WAFLimitsExceededException({ message: 'limits', $metadata: {} }));

    const result = await cli('attach', '--web-acl', ACL_ARN, '--renumber');

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'maintenance: AWS refused to write web ACL team-site: WAFLimitsExceededException. Most likely it has no capacity left for the maintenance rule group, which needs 100 WCUs, on top of the 1,200 WCUs the ACL used; a web ACL may use at most 5,000 WCUs. Free capacity (remove or simplify rules), then attach again; nothing changed.\n',
    });
  });

  it('refuses before writing when the group would take the ACL past 5,000 WCUs', async () => {
    waf
      .on(GetWebACLCommand)
      .resolves({ WebACL: teamAcl({ Capacity: 5_000 - RULE_GROUP_CAPACITY + 1 }), LockToken: 'l' });

    const result = await cli('attach', '--web-acl', ACL_ARN, '--renumber');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Web ACL team-site uses 4,901 WCUs; the maintenance rule group needs 100 WCUs more',
    );
    expect(updates()).toEqual([]);
  });

  it('warns on stderr (in the body with --json) when the attach takes the ACL above 1,500 WCUs', async () => {
    waf.on(GetWebACLCommand).resolves({ WebACL: teamAcl({ Capacity: 1_450 }), LockToken: 'l' });
    waf.on(UpdateWebACLCommand).resolves({ NextLockToken: 'n' });
    const warning =
      'web ACL team-site now uses 1,550 WCUs, 100 WCUs of them for the maintenance rule group; above 1,500 WCUs AWS charges extra for each further 500.';

    const human = await cli('attach', '--web-acl', ACL_ARN, '--renumber');
    const json = await cli('attach', '--web-acl', ACL_ARN, '--renumber', '--json');

    expect(human.code).toBe(0);
    expect(human.stderr).toBe(`maintenance: warning: ${warning}\n`);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).warnings).toEqual([warning]);
  });

  it('does not warn when the ACL stays at or below 1,500 WCUs', async () => {
    waf
      .on(GetWebACLCommand)
      .resolves({ WebACL: teamAcl({ Capacity: 1_500 - RULE_GROUP_CAPACITY }), LockToken: 'l' });
    waf.on(UpdateWebACLCommand).resolves({ NextLockToken: 'n' });

    const result = await cli('attach', '--web-acl', ACL_ARN, '--renumber');

    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('fails with exit 1 and reads no ACL when the stage has no rule group, after every page', async () => {
    waf
      .on(ListRuleGroupsCommand)
      .resolvesOnce({ RuleGroups: [{ Name: 'someone-else', ARN: 'x' }], NextMarker: 'page-2' })
      .resolvesOnce({ RuleGroups: [{ Name: 'waf-maintenance-prod-old', ARN: 'y' }] });

    const result = await cli('detach', '--web-acl', ACL_ARN);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'maintenance: No rule group waf-maintenance-prod in scope CLOUDFRONT: the stack for stage prod is not deployed in this account. Deploy it first (or pick the stage with --stage).\n',
    });
    expect(waf.commandCalls(ListRuleGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { Scope: 'CLOUDFRONT', Limit: 100, NextMarker: undefined },
      { Scope: 'CLOUDFRONT', Limit: 100, NextMarker: 'page-2' },
    ]);
    expect(waf.commandCalls(GetWebACLCommand)).toEqual([]);
  });

  it('finds the group on a later page of ListRuleGroups', async () => {
    waf
      .on(ListRuleGroupsCommand)
      .resolvesOnce({ RuleGroups: [{ Name: 'someone-else', ARN: 'x' }], NextMarker: 'page-2' })
      .resolvesOnce({ RuleGroups: [{ Name: GROUP, ARN: GROUP_ARN }] });
    waf.on(GetWebACLCommand).resolves({ WebACL: teamAcl({ Rules: [] }), LockToken: 'l' });
    waf.on(UpdateWebACLCommand).resolves({ NextLockToken: 'n' });

    const result = await cli('attach', '--web-acl', ACL_ARN);

    expect(result.code).toBe(0);
    expect(updates()[0]?.Rules).toEqual([referenceRule(GROUP_ARN, GROUP, 0)]);
  });
});

describe('maintenance attach: what it does to the rules (aws-sdk-client-mock)', () => {
  const waf = mockClient(WAFV2Client);

  beforeEach(() => {
    waf.reset();
    waf.on(ListRuleGroupsCommand).resolves({ RuleGroups: [{ Name: GROUP, ARN: GROUP_ARN }] });
    waf.on(UpdateWebACLCommand).resolves({ NextLockToken: 'n' });
  });

  afterAll(() => waf.restore());

  async function attach(rules: Rule[], ...flags: string[]) {
    waf.on(GetWebACLCommand).resolves({ WebACL: teamAcl({ Rules: rules }), LockToken: 'l' });
    const result = await runCli(['attach', '--web-acl', ACL_ARN, '--stage', 'prod', '--json', ...flags], {
      env: WITH_CREDENTIALS,
      clock: new FakeClock(),
    });
    const written = waf.commandCalls(UpdateWebACLCommand).map((call) => call.args[0].input.Rules);
    return { ...result, written, report: result.code === 0 ? JSON.parse(result.stdout) : undefined };
  }

  it('changes nothing when the reference is already first with OverrideAction None, wherever it sits', async () => {
    const { code, written, report } = await attach([
      referenceRule(GROUP_ARN, 'ours', 3),
      { ...RATE_CAPTCHA },
    ]);

    expect(code).toBe(0);
    expect(report).toMatchObject({ changed: false, done: [] });
    expect(written).toEqual([]);
  });

  it('sets OverrideAction None on a first reference that counts', async () => {
    const counted = { ...referenceRule(GROUP_ARN, 'ours', 0), OverrideAction: { Count: {} } };

    const { written, report } = await attach([counted, RATE_CAPTCHA]);

    expect(report.done).toEqual(["set ours's OverrideAction to None (was Count)"]);
    expect(written).toEqual([[referenceRule(GROUP_ARN, 'ours', 0), RATE_CAPTCHA]]);
  });

  it('drops rule action overrides and exclusions that would keep a maintenance rule from blocking', async () => {
    const overridden = referenceRule(GROUP_ARN, 'ours', 0);
    overridden.Statement = {
      RuleGroupReferenceStatement: {
        ARN: GROUP_ARN,
        ExcludedRules: [{ Name: 'maintenance-block' }],
        RuleActionOverrides: [{ Name: 'maintenance-json', ActionToUse: { Count: {} } }],
      },
    };

    const { written, report } = await attach([overridden]);

    expect(report.done).toEqual(["removed ExcludedRules, RuleActionOverrides from ours's statement"]);
    expect(written).toEqual([[referenceRule(GROUP_ARN, 'ours', 0)]]);
  });

  it('keeps one reference when there are two, and moves it first with --renumber', async () => {
    const { written, report } = await attach(
      [BLOCK_ADMIN, referenceRule(GROUP_ARN, 'first-ref', 2), referenceRule(GROUP_ARN, 'second-ref', 7)],
      '--renumber',
    );

    expect(report.done).toEqual([
      'removed second-ref (priority 7), a second reference',
      'shifted the other rule down by one priority',
    ]);
    expect(written).toEqual([[referenceRule(GROUP_ARN, 'first-ref', 0), { ...BLOCK_ADMIN, Priority: 1 }]]);
  });

  it('refuses to move a reference behind the rule at priority 0 without --renumber', async () => {
    const { code, stderr, written } = await attach([BLOCK_ADMIN, referenceRule(GROUP_ARN, 'ours', 4)]);

    expect(code).toBe(1);
    expect(stderr).toContain('has rule "block-admin" at priority 0');
    expect(written).toEqual([]);
  });

  it('refuses when another kind of rule already has the reference name', async () => {
    const { code, stderr, written } = await attach([{ ...RATE_CAPTCHA, Name: GROUP, Priority: 1 }]);

    expect(code).toBe(1);
    expect(stderr).toContain(
      `already has a rule named "${GROUP}" that does not reference the maintenance rule group`,
    );
    expect(written).toEqual([]);
  });

  it('adds the reference to an ACL without rules', async () => {
    const { written, report } = await attach([]);

    expect(report.rules).toEqual([{ name: GROUP, priority: 0 }]);
    expect(written).toEqual([[referenceRule(GROUP_ARN, GROUP, 0)]]);
  });
});
