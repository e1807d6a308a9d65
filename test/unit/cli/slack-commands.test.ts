import { UpstreamError } from '../../../src/domain/errors';
import type { Clock } from '../../../src/ports/clock';
import type { SlackGrants } from '../../../src/ports/slack-grants';
import { runCli } from '../../support/cli';
import { InMemorySlackGrants } from '../../support/fakes';

/** The in-memory SlackGrants, listed by user id as the adapter lists them. */
class FakeSlackGrants extends InMemorySlackGrants {
  override async list() {
    return (await super.list()).sort((a, b) => a.userId.localeCompare(b.userId));
  }
}

const NOW = '2026-03-01T10:00:00.000Z';
const clock: Clock = { now: () => new Date(NOW), sleep: async () => {} };
const USAGE_HINT = "\nRun 'maintenance --help' for usage.\n";

describe('maintenance slack grant/revoke/list', () => {
  let slackGrants: FakeSlackGrants;

  beforeEach(() => {
    slackGrants = new FakeSlackGrants();
  });

  async function cli(argv: string[], env: Record<string, string> = {}, grants: SlackGrants = slackGrants) {
    return runCli(argv, { env, slackGrants: grants, clock });
  }

  it('grant stores the role with the time and confirms naming the stage', async () => {
    const result = await cli(['slack', 'grant', 'U024BE7LH', '--role', 'admin', '--stage', 'prod']);

    expect(result).toEqual({
      code: 0,
      stdout: 'Granted U024BE7LH the admin role (stage prod).\n',
      stderr: '',
    });
    expect(slackGrants.grants.get('U024BE7LH')).toEqual({
      userId: 'U024BE7LH',
      role: 'admin',
      grantedAt: NOW,
    });
  });

  it('grant --json prints the grant as one JSON line', async () => {
    const result = await cli(['slack', 'grant', 'W012A3CDE', '--role', 'operator', '--json']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '{"userId":"W012A3CDE","role":"operator","grantedAt":"2026-03-01T10:00:00.000Z"}\n',
    );
  });

  it('grant again replaces the role', async () => {
    await cli(['slack', 'grant', 'U024BE7LH', '--role', 'admin']);

    const result = await cli(['slack', 'grant', 'U024BE7LH', '--role', 'operator']);

    expect(result.code).toBe(0);
    expect(await slackGrants.roleOf('U024BE7LH')).toBe('operator');
  });

  it('names the stage from MAINTENANCE_STAGE, or the table when MAINTENANCE_TABLE_NAME overrides it', async () => {
    const byEnv = await cli(['slack', 'grant', 'U1AB', '--role', 'admin'], { MAINTENANCE_STAGE: 'staging' });
    const byTable = await cli(['slack', 'revoke', 'U1AB'], { MAINTENANCE_TABLE_NAME: 'custom-table' });

    expect(byEnv.stdout).toBe('Granted U1AB the admin role (stage staging).\n');
    expect(byTable.stdout).toBe('Revoked U1AB (table custom-table).\n');
  });

  it('revoke removes the grant and confirms', async () => {
    await cli(['slack', 'grant', 'U024BE7LH', '--role', 'admin']);

    const result = await cli(['slack', 'revoke', 'U024BE7LH', '--stage', 'prod']);

    expect(result).toEqual({ code: 0, stdout: 'Revoked U024BE7LH (stage prod).\n', stderr: '' });
    expect(slackGrants.grants.has('U024BE7LH')).toBe(false);
  });

  it('revoke --json reports the revoked user', async () => {
    await cli(['slack', 'grant', 'U024BE7LH', '--role', 'admin']);

    expect((await cli(['slack', 'revoke', 'U024BE7LH', '--json'])).stdout).toBe(
      '{"userId":"U024BE7LH","revoked":true}\n',
    );
  });

  it('revoke exits 1 with nothing on stdout when the user has no grant', async () => {
    expect(await cli(['slack', 'revoke', 'U0NOBODY', '--stage', 'prod'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'maintenance: U0NOBODY has no Slack grant (stage prod); nothing was revoked.\n',
    });
  });

  it('list shows user ID, role and grant time, sorted by user ID', async () => {
    await cli(['slack', 'grant', 'W0ZED', '--role', 'operator']);
    await cli(['slack', 'grant', 'U024BE7LH', '--role', 'admin']);

    const human = await cli(['slack', 'list']);
    const machine = await cli(['slack', 'list', '--json']);

    expect(human).toEqual({
      code: 0,
      stdout: [
        'USER ID    ROLE      GRANTED',
        `U024BE7LH  admin     ${NOW}`,
        `W0ZED      operator  ${NOW}`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(machine.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(machine.stdout)).toEqual({
      grants: [
        { userId: 'U024BE7LH', role: 'admin', grantedAt: NOW },
        { userId: 'W0ZED', role: 'operator', grantedAt: NOW },
      ],
    });
  });

  it('list says so when nobody has a grant, and --json gives an empty list', async () => {
    expect(await cli(['slack', 'list', '--stage', 'prod'])).toEqual({
      code: 0,
      stdout: 'No Slack grants (stage prod).\n',
      stderr: '',
    });
    expect((await cli(['slack', 'list', '--json'])).stdout).toBe('{"grants":[]}\n');
  });

  it('exits 1 with the reason on stderr when the store fails', async () => {
    const failing = new FakeSlackGrants();
    failing.grant = async () => {
      throw new UpstreamError('AWS failed: table waf-maintenance-dev: InternalServerError: boom');
    };

    const result = await cli(['slack', 'grant', 'U024BE7LH', '--role', 'admin'], {}, failing);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'maintenance: AWS failed: table waf-maintenance-dev: InternalServerError: boom\n',
    });
  });

  it.each([
    [['slack'], "'slack' needs grant, revoke or list."],
    [['slack', 'grant', '--role', 'admin'], "'slack grant' needs a USER_ID."],
    [['slack', 'grant', 'U024BE7LH'], "'slack grant' needs --role."],
    [['slack', 'grant', 'U024BE7LH', '--role', 'root'], "--role must be operator or admin, not 'root'."],
    [['slack', 'grant', 'u024be7lh', '--role', 'admin'], "not 'u024be7lh'."],
    [['slack', 'grant', '@alice', '--role', 'admin'], "not '@alice'."],
    [['slack', 'grant', 'U1', '--role', 'admin'], "not 'U1'."],
    [['slack', 'grant', 'U024BE7LH', 'W012A3CDE', '--role', 'admin'], "Unexpected argument 'W012A3CDE'"],
    [['slack', 'revoke'], "'slack revoke' needs a USER_ID."],
    [['slack', 'revoke', 'C024BE7LH'], "not 'C024BE7LH'."],
    [['slack', 'revoke', 'U024BE7LH', '--role', 'admin'], "'slack revoke' does not take --role."],
    [['slack', 'list', 'U024BE7LH'], "Unexpected argument 'U024BE7LH' for 'slack list'."],
    [['slack', 'list', '--name', 'x'], "'slack list' does not take --name."],
    [['slack', 'list', '--verbose'], "Unknown option '--verbose'"],
    [['slack', 'grant', 'U024BE7LH', '--role', 'admin', '--stage', 'a/b'], '--stage must be'],
  ])('exits 2 for %j and changes nothing: %s', async (argv, message) => {
    const result = await cli(argv);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.endsWith(USAGE_HINT)).toBe(true);
    expect(slackGrants.grants.size).toBe(0);
  });

  it('explains what a user ID looks like when one is malformed', async () => {
    const result = await cli(['slack', 'grant', 'alice', '--role', 'admin']);

    expect(result.stderr).toBe(
      "maintenance: USER_ID must be a Slack user ID such as U024BE7LH (U or W, then upper-case letters and digits), not 'alice'." +
        USAGE_HINT,
    );
  });
});
