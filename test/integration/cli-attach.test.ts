import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateIPSetCommand,
  CreateRuleGroupCommand,
  CreateWebACLCommand,
  type CreateWebACLCommandInput,
  GetWebACLCommand,
  type GetWebACLCommandOutput,
  type Rule,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { parseWebAclArn } from '../../src/adapters/aws/waf-arn';
import { RULE_GROUP_CAPACITY } from '../../src/domain/rule-group';
import { referenceRule } from '../../src/domain/rule-group-reference';
import { runCli } from '../support/cli';
import { BLOCK_ADMIN, RATE_CAPTCHA, RENUMBERED, visibility } from '../support/team-web-acl';

/** Everything of a team's ACL besides its rules that attach and detach must leave alone. */
function teamAcl(name: string, rules: Rule[]): CreateWebACLCommandInput {
  return {
    Name: name,
    Scope: 'CLOUDFRONT',
    Description: "The team's own web ACL, kept in Terraform",
    DefaultAction: {
      Allow: { CustomRequestHandling: { InsertHeaders: [{ Name: 'x-team', Value: 'yes' }] } },
    },
    VisibilityConfig: visibility(name),
    Rules: rules,
    CustomResponseBodies: {
      'team-blocked': { ContentType: 'TEXT_PLAIN', Content: 'Blocked by the team.' },
      'team-json': { ContentType: 'APPLICATION_JSON', Content: '{"blocked":true}' },
    },
    CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 600 } },
    ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
    TokenDomains: ['example.com', 'www.example.com'],
    AssociationConfig: { RequestBody: { CLOUDFRONT: { DefaultSizeInspectionLimit: 'KB_64' } } },
  };
}

/**
 * `maintenance attach` and `detach` against web ACLs in the moto server. moto merges an update that omits
 * fields (AWS would delete them), so these prove WAF's behaviour (lock tokens, what is stored); the exact
 * UpdateWebACL input is proved in test/unit/cli/attach-commands.test.ts.
 */
describe('maintenance attach and detach against WAF', () => {
  const waf = new WAFV2Client({ region: 'us-east-1' });
  const stage = `at${randomBytes(4).toString('hex')}`;
  const groupName = `waf-maintenance-${stage}`;
  let groupArn: string;

  beforeAll(async () => {
    const ipSet = await waf.send(
      new CreateIPSetCommand({
        Name: `${groupName}-bypass-v4`,
        Scope: 'CLOUDFRONT',
        IPAddressVersion: 'IPV4',
        Addresses: [],
      }),
    );
    const group = await waf.send(
      new CreateRuleGroupCommand({
        Name: groupName,
        Scope: 'CLOUDFRONT',
        Capacity: RULE_GROUP_CAPACITY,
        VisibilityConfig: visibility(groupName),
        Rules: [
          {
            Name: 'maintenance-pass',
            Priority: 0,
            Action: { Count: {} },
            Statement: { IPSetReferenceStatement: { ARN: ipSet.Summary?.ARN } },
            VisibilityConfig: visibility('maintenance-pass'),
          },
        ],
      }),
    );
    groupArn = group.Summary?.ARN as string;
  });

  afterAll(() => waf.destroy());

  async function createAcl(rules: Rule[]): Promise<string> {
    const name = `team-${randomBytes(4).toString('hex')}`;
    const out = await waf.send(new CreateWebACLCommand(teamAcl(name, rules)));
    return out.Summary?.ARN as string;
  }

  async function read(arn: string): Promise<GetWebACLCommandOutput> {
    const { name, id, scope } = parseWebAclArn(arn);
    const { $metadata: _, ...answer } = await waf.send(
      new GetWebACLCommand({ Name: name, Scope: scope, Id: id }),
    );
    return answer as GetWebACLCommandOutput;
  }

  const cli = (...argv: string[]) => runCli([...argv, '--stage', stage], { env: process.env });

  describe('on an ACL with foreign rules at priorities 0 and 5', () => {
    let arn: string;
    let original: GetWebACLCommandOutput;

    beforeAll(async () => {
      arn = await createAcl([BLOCK_ADMIN, RATE_CAPTCHA]);
      original = await read(arn);
    });

    it('attach without --renumber refuses, names the rule at priority 0, and changes nothing', async () => {
      const result = await cli('attach', '--web-acl', arn);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('has rule "block-admin" at priority 0');
      expect(result.stderr).toContain('Run again with --renumber to shift every existing rule down by one');
      expect(await read(arn)).toEqual(original);
    });

    it('attach --renumber puts the reference at 0 and the foreign rules at 1 and 6, keeping every other field', async () => {
      const result = await cli('attach', '--web-acl', arn, '--renumber');

      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`Attached ${groupName} to web ACL`);
      expect(result.stdout).toContain(`Evaluation order: 0 ${groupName}, 1 block-admin, 6 rate-captcha.`);
      const after = await read(arn);
      expect(after.LockToken).not.toBe(original.LockToken);
      expect(after.WebACL).toEqual({
        ...original.WebACL,
        Rules: [referenceRule(groupArn, groupName, 0), ...RENUMBERED],
      });
    });

    it('a second attach changes nothing and says so', async () => {
      const before = await read(arn);

      const result = await cli('attach', '--web-acl', arn, '--renumber');

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('nothing changed');
      expect(await read(arn)).toEqual(before);
    });

    it('detach removes only the reference: the foreign rules stay at 1 and 6, every other field as it was', async () => {
      const result = await cli('detach', '--web-acl', arn);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Detached ${groupName} from web ACL`);
      expect(result.stdout).toContain('Evaluation order: 1 block-admin, 6 rate-captcha.');
      expect((await read(arn)).WebACL).toEqual({
        ...original.WebACL,
        Rules: RENUMBERED,
      });
    });

    it('a second detach changes nothing and says so', async () => {
      const before = await read(arn);

      const result = await cli('detach', '--web-acl', arn, '--json');

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ changed: false, done: [] });
      expect(await read(arn)).toEqual(before);
    });
  });

  it('attach needs no --renumber when priority 0 is free, and moves no foreign rule', async () => {
    const arn = await createAcl([{ ...RATE_CAPTCHA, Priority: 3 }]);
    const original = await read(arn);

    const result = await cli('attach', '--web-acl', arn, '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      webAcl: arn,
      ruleGroup: groupArn,
      changed: true,
      added: true,
      done: [`added ${groupName} at priority 0`],
      rules: [
        { name: groupName, priority: 0 },
        { name: 'rate-captcha', priority: 3 },
      ],
      warnings: [],
    });
    expect((await read(arn)).WebACL).toEqual({
      ...original.WebACL,
      Rules: [referenceRule(groupArn, groupName, 0), { ...RATE_CAPTCHA, Priority: 3 }],
    });
  });

  it('attach repairs a reference that is not first and overrides the group, instead of adding another', async () => {
    const wrong: Rule = {
      ...referenceRule(groupArn, 'our-maintenance', 9),
      OverrideAction: { Count: {} },
    };
    const arn = await createAcl([{ ...RATE_CAPTCHA, Priority: 2 }, wrong]);

    const result = await cli('attach', '--web-acl', arn);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Repaired web ACL ${parseWebAclArn(arn).name}'s reference to ${groupName}: set our-maintenance's OverrideAction to None (was Count); moved our-maintenance from priority 9 to 0.\n` +
        'Evaluation order: 0 our-maintenance, 2 rate-captcha.\n',
    );
    expect((await read(arn)).WebACL?.Rules).toEqual([
      { ...wrong, Priority: 0, OverrideAction: { None: {} } },
      { ...RATE_CAPTCHA, Priority: 2 },
    ]);
  });

  it('fails with exit 1 when the stage has no rule group, saying its stack is not deployed', async () => {
    const arn = await createAcl([]);

    const result = await runCli(['attach', '--web-acl', arn, '--stage', 'nosuchstage'], { env: process.env });

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'maintenance: No rule group waf-maintenance-nosuchstage in scope CLOUDFRONT: the stack for stage nosuchstage is not deployed in this account. Deploy it first (or pick the stage with --stage).\n',
    );
  });

  it('fails with exit 1 naming the web ACL when the ARN points at none', async () => {
    const missing =
      'arn:aws:wafv2:us-east-1:123456789012:global/webacl/gone/00000000-0000-0000-0000-000000000000';

    const result = await cli('detach', '--web-acl', missing);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Web ACL gone (scope CLOUDFRONT) does not exist');
  });
});

describe("the CLI's start-up path", () => {
  const run = promisify(execFile);

  it('loads no AWS SDK module for a command that talks to the HTTP API', async () => {
    // In a child process: jest's module registry is not Node's require.cache.
    const script = `
      require('tsx/cjs/api').register();
      const { run } = require(${JSON.stringify(resolve(__dirname, '../../src/cli/run.ts'))});
      const quiet = { write: () => true };
      run(['status'], { env: {}, stdout: quiet, stderr: quiet }).then(() => {
        const sdk = Object.keys(require.cache).filter((path) => path.includes('@aws-sdk'));
        process.stdout.write(JSON.stringify(sdk));
      });`;

    const { stdout } = await run(process.execPath, ['-e', script], { timeout: 60_000 });

    expect(JSON.parse(stdout)).toEqual([]);
  });
});
