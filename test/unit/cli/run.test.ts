import { USAGE } from '../../../src/cli/args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../../src/cli/run';
import { runCli } from '../../support/cli';

async function cli(argv: string[]) {
  return runCli(argv, { env: {} });
}

describe('run', () => {
  it.each([
    ['--help'],
    ['-h'],
    ['help'],
    ['token', '--help'],
    ['bypass', 'add', '-h'],
    ['slack', 'grant', '--help'],
  ])('prints usage on stdout and exits 0 for %j', async (...argv) => {
    expect(await cli(argv)).toEqual({ code: EXIT_OK, stdout: USAGE, stderr: '' });
  });

  it('lists only the commands that exist', () => {
    for (const command of [
      'status',
      'on [--reason',
      'off [--reason',
      'token create',
      'token list',
      'token revoke',
      'bypass list',
      'bypass add CIDR...',
      'bypass remove CIDR...',
      'history [--limit N] [--cursor CURSOR]',
      'slack grant USER_ID --role operator|admin',
      'slack revoke USER_ID',
      'slack list',
      'attach --web-acl ARN [--renumber]',
      'detach --web-acl ARN',
    ]) {
      expect(USAGE).toContain(command);
    }
    expect(USAGE).not.toMatch(/\bslack (add|remove|kick)\b/i);
  });

  it('exits 2 with a hint on stderr for an unknown command', async () => {
    expect(await cli(['bogus'])).toEqual({
      code: EXIT_USAGE,
      stdout: '',
      stderr: "maintenance: Unknown command 'bogus'.\nRun 'maintenance --help' for usage.\n",
    });
  });

  it.each([
    [[]],
    [['status', '--verbose']],
    [['token', 'create', '--name', 'x']],
    [['on', '--retry-after', '1.5']],
    [['bypass']],
    [['bypass', 'add']],
    [['bypass', 'frobnicate']],
    [['bypass', 'list', '--bogus']],
    [['slack', 'grant', 'U024BE7LH']],
    [['slack', 'revoke', 'not-an-id']],
    [['attach', '--web-acl', 'not-an-arn']],
    [['detach']],
    [['on', '--reason', 'two\nlines']],
  ])('exits 2 for the usage error %j and prints nothing on stdout', async (argv) => {
    const result = await cli(argv);

    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^maintenance: .+\nRun 'maintenance --help' for usage\.\n$/);
  });

  it('exits 1, not 2, when the command line is fine but the environment is not', async () => {
    const result = await cli(['status']);

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('MAINTENANCE_API_URL and MAINTENANCE_TOKEN must be set');
  });
});
