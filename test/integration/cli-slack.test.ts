import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSlackGrants } from '../../src/adapters/aws/dynamodb-slack-grants';
import { runCli } from '../support/cli';
import { provisionTestStack } from '../support/stack';

/** The slack commands against the stage's table in the moto server, through the real DynamoDB adapter. */
describe('maintenance slack commands against DynamoDB', () => {
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  let tableName: string;
  let stage: string;
  let grants: DynamoDbSlackGrants;

  beforeAll(async () => {
    ({ tableName, stage } = await provisionTestStack('cs'));
    grants = new DynamoDbSlackGrants(dynamodb, tableName);
  });

  afterAll(() => dynamodb.destroy());

  async function cli(
    argv: string[],
    env: NodeJS.ProcessEnv = { ...process.env, MAINTENANCE_TABLE_NAME: undefined },
  ) {
    return runCli(argv, { env });
  }

  it('grant finds the stage table by --stage and gives the user that role', async () => {
    const result = await cli(['slack', 'grant', 'U0GRANTED', '--role', 'admin', '--stage', stage]);

    expect(result).toEqual({
      code: 0,
      stdout: `Granted U0GRANTED the admin role (stage ${stage}).\n`,
      stderr: '',
    });
    expect(await grants.roleOf('U0GRANTED')).toBe('admin');
  });

  it('revoke takes the role away, and a second revoke exits 1', async () => {
    await cli(['slack', 'grant', 'U0REVOKED', '--role', 'operator', '--stage', stage]);

    const revoked = await cli(['slack', 'revoke', 'U0REVOKED', '--stage', stage]);
    const again = await cli(['slack', 'revoke', 'U0REVOKED', '--stage', stage]);

    expect(revoked).toEqual({ code: 0, stdout: `Revoked U0REVOKED (stage ${stage}).\n`, stderr: '' });
    expect(await grants.roleOf('U0REVOKED')).toBeNull();
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `maintenance: U0REVOKED has no Slack grant (stage ${stage}); nothing was revoked.\n`,
    });
  });

  it('fails with exit 1 naming the table when the stage has none', async () => {
    const result = await cli(['slack', 'list', '--stage', 'nosuchstage']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('table waf-maintenance-nosuchstage does not exist');
  });
});
