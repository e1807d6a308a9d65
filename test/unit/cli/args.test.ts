import { parseCommand } from '../../../src/cli/args';
import { usageMessage } from './usage-message';

const ACL_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/team-site/44444444-4444-4444-4444-444444444444';

describe('parseCommand', () => {
  it('reads status with and without --json', () => {
    expect(parseCommand(['status'])).toEqual({ kind: 'status', json: false });
    expect(parseCommand(['--json', 'status'])).toEqual({ kind: 'status', json: true });
  });

  it('reads on with a reason and a Retry-After', () => {
    expect(parseCommand(['on', '--reason', 'Deploy', '--retry-after=600'])).toEqual({
      kind: 'set',
      json: false,
      enabled: true,
      reason: 'Deploy',
      retryAfterSeconds: 600,
    });
  });

  it('reads on and off without optional flags as bare toggles', () => {
    expect(parseCommand(['on'])).toEqual({ kind: 'set', json: false, enabled: true });
    expect(parseCommand(['off', '--reason', 'Done'])).toEqual({
      kind: 'set',
      json: false,
      enabled: false,
      reason: 'Done',
    });
  });

  it('reads the token commands with their flags', () => {
    expect(parseCommand(['token', 'create', '--name', 'ci', '--role', 'admin', '--stage', 'prod'])).toEqual({
      kind: 'token-create',
      json: false,
      name: 'ci',
      role: 'admin',
      stage: 'prod',
    });
    expect(parseCommand(['token', 'list', '--json'])).toEqual({ kind: 'token-list', json: true });
    expect(parseCommand(['token', 'revoke', '--name', 'ci'])).toEqual({
      kind: 'token-revoke',
      json: false,
      name: 'ci',
    });
  });

  it('reads the slack commands with the user ID as an operand', () => {
    expect(parseCommand(['slack', 'grant', 'U024BE7LH', '--role', 'operator', '--stage', 'prod'])).toEqual({
      kind: 'slack-grant',
      json: false,
      userId: 'U024BE7LH',
      role: 'operator',
      stage: 'prod',
    });
    expect(parseCommand(['--json', 'slack', 'revoke', 'W012A3CDE'])).toEqual({
      kind: 'slack-revoke',
      json: true,
      userId: 'W012A3CDE',
    });
    expect(parseCommand(['slack', 'list'])).toEqual({ kind: 'slack-list', json: false });
  });

  it('reads attach and detach with the web ACL ARN, --renumber only for attach', () => {
    expect(parseCommand(['attach', '--web-acl', ACL_ARN])).toEqual({
      kind: 'attach',
      json: false,
      webAclArn: ACL_ARN,
      renumber: false,
    });
    expect(parseCommand(['attach', '--web-acl', ACL_ARN, '--renumber', '--stage', 'prod', '--json'])).toEqual(
      {
        kind: 'attach',
        json: true,
        webAclArn: ACL_ARN,
        renumber: true,
        stage: 'prod',
      },
    );
    expect(parseCommand(['detach', `--web-acl=${ACL_ARN}`])).toEqual({
      kind: 'detach',
      json: false,
      webAclArn: ACL_ARN,
    });
  });

  it('reads bypass list with and without --json', () => {
    expect(parseCommand(['bypass', 'list'])).toEqual({ kind: 'bypass-list', json: false });
    expect(parseCommand(['bypass', 'list', '--json'])).toEqual({ kind: 'bypass-list', json: true });
  });

  it('passes the addresses of bypass add and remove through exactly as typed, in order', () => {
    expect(parseCommand(['bypass', 'add', '198.51.100.77/24', '2001:DB8::1', ' junk '])).toEqual({
      kind: 'bypass-change',
      json: false,
      operation: 'add',
      cidrs: ['198.51.100.77/24', '2001:DB8::1', ' junk '],
    });
    expect(parseCommand(['--json', 'bypass', 'remove', '10.0.0.0/8', '--', '-1'])).toEqual({
      kind: 'bypass-change',
      json: true,
      operation: 'remove',
      cidrs: ['10.0.0.0/8', '-1'],
    });
  });

  it('treats help, --help and -h anywhere as a request for usage', () => {
    expect(parseCommand(['help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['on', '-h'])).toEqual({ kind: 'help' });
    expect(parseCommand(['token', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'No command given.'],
    [['bogus'], "Unknown command 'bogus'."],
    [['token'], "'token' needs create, list or revoke."],
    [['token', 'delete'], "Unknown command 'token delete'."],
    [['status', 'now'], "Unexpected argument 'now' for 'status'."],
    [['status', '--verbose'], "Unknown option '--verbose'"],
    [['off', '--retry-after', '60'], "'off' does not take --retry-after."],
    [['status', '--stage', 'prod'], "'status' does not take --stage."],
    [['on', '--reason'], "Option '--reason <value>' argument missing"],
    [['token', 'create', '--role', 'admin'], "'token create' needs --name."],
    [['token', 'create', '--name', 'ci'], "'token create' needs --role."],
    [['token', 'create', '--name', 'ci', '--role', 'root'], "--role must be operator or admin, not 'root'."],
    [['token', 'revoke'], "'token revoke' needs --name."],
    [['token', 'list', '--stage', 'a b'], '--stage must be letters, digits and hyphens.'],
    [['on', '--reason='], '--reason must be 1 to 500 characters.'],
    [['bypass'], "'bypass' needs list, add or remove."],
    [['bypass', 'frobnicate'], "Unknown command 'bypass frobnicate'."],
    [['bypass', 'add'], "'bypass add' needs at least one CIDR."],
    [['bypass', 'remove'], "'bypass remove' needs at least one CIDR."],
    [['bypass', 'list', '--bogus'], "Unknown option '--bogus'"],
    [['bypass', 'list', 'all'], "Unexpected argument 'all' for 'bypass list'."],
    [['bypass', 'add', '10.0.0.0/8', '--stage', 'prod'], "'bypass add' does not take --stage."],
    [['list'], "Unknown command 'list'."],
    [['constructor'], "Unknown command 'constructor'."],
    [['token', 'toString'], "Unknown command 'token toString'."],
    [['slack'], "'slack' needs grant, revoke or list."],
    [['slack', 'kick', 'U024BE7LH'], "Unknown command 'slack kick'."],
    [['slack', 'grant', '--role', 'admin'], "'slack grant' needs a USER_ID."],
    [['slack', 'grant', 'U024BE7LH'], "'slack grant' needs --role."],
    [['slack', 'grant', 'U024BE7LH', '--role', 'owner'], "--role must be operator or admin, not 'owner'."],
    [
      ['slack', 'grant', 'U024BE7LH', '--name', 'x', '--role', 'admin'],
      "'slack grant' does not take --name.",
    ],
    [['slack', 'revoke', 'U1', 'U2'], "Unexpected argument 'U2' for 'slack revoke'."],
    [['attach'], "'attach' needs --web-acl."],
    [['detach', '--stage', 'prod'], "'detach' needs --web-acl."],
    [['attach', '--web-acl'], "Option '--web-acl <value>' argument missing"],
    [['detach', '--web-acl', ACL_ARN, '--renumber'], "'detach' does not take --renumber."],
    [['status', '--renumber'], "'status' does not take --renumber."],
    [['token', 'list', '--web-acl', ACL_ARN], "'token list' does not take --web-acl."],
    [['attach', ACL_ARN], `Unexpected argument '${ACL_ARN}' for 'attach'.`],
    [['attach', '--web-acl', ACL_ARN, '--stage', 'a/b'], '--stage must be letters, digits and hyphens.'],
    [
      ['attach', '--web-acl', 'team-site'],
      "--web-acl must be a web ACL's ARN (arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID), not 'team-site'.",
    ],
    [['attach', '--web-acl', ACL_ARN.replace('webacl', 'ipset')], "--web-acl must be a web ACL's ARN"],
    [
      ['detach', '--web-acl', ACL_ARN.replace('us-east-1', 'eu-west-1').replace('global', 'regional')],
      '--web-acl must be a CloudFront web ACL (…:global/webacl/…): a regional one cannot reference',
    ],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });

  it.each(['u024be7lh', 'U1', 'B024BE7LH', 'U024BE7LH ', `U${'A'.repeat(21)}`, 'U024-BE7LH', ''])(
    'refuses the Slack user ID %j',
    (userId) => {
      expect(usageMessage(['slack', 'revoke', userId])).toMatch(/^USER_ID must be a Slack user ID/);
    },
  );

  it.each(['U024BE7LH', 'W012A3CDE', 'UAB', `U${'A'.repeat(20)}`])(
    'accepts the Slack user ID %j',
    (userId) => {
      expect(parseCommand(['slack', 'revoke', userId])).toMatchObject({ userId });
    },
  );

  it.each([
    ['a newline', 'Deploy\nnow', 'U+000A'],
    ['a tab', 'Deploy\tnow', 'U+0009'],
    ['a bidi override', 'Deploy \u202enow', 'U+202E'],
  ])('refuses a reason with %s, by the domain rule', (_, reason, codePoint) => {
    expect(usageMessage(['on', '--reason', reason])).toBe(
      `--reason must be one line of text without control characters (${codePoint}).`,
    );
    expect(usageMessage(['off', `--reason=${reason}`])).toContain(codePoint);
  });

  it('refuses a reason over 500 characters and takes one of exactly 500', () => {
    expect(usageMessage(['on', '--reason', 'x'.repeat(501)])).toBe('--reason must be 1 to 500 characters.');
    expect(parseCommand(['on', '--reason', 'x'.repeat(500)])).toMatchObject({ reason: 'x'.repeat(500) });
  });

  it.each(['soon', '1.5', '-5', '0', '86401', '1e3', ' 60'])('refuses --retry-after %j', (value) => {
    expect(usageMessage(['on', `--retry-after=${value}`])).toBe(
      '--retry-after must be a whole number of seconds from 1 to 86400.',
    );
  });
});
