import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbTokenRegistry } from '../../src/adapters/aws/dynamodb-token-registry';
import { ForbiddenError, UnauthenticatedError } from '../../src/domain/errors';
import { authenticate } from '../../src/use-cases/authenticate';
import { runCli } from '../support/cli';
import { provisionTestStack } from '../support/stack';

/** The token commands against a real table in the moto server, through the real DynamoDB adapter. */
describe('maintenance token commands against DynamoDB', () => {
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  let tableName: string;
  let registry: DynamoDbTokenRegistry;

  // The table as serverless.yml defines it, not a hand-written copy of its schema.
  beforeAll(async () => {
    tableName = (await provisionTestStack('cli')).tableName;
    registry = new DynamoDbTokenRegistry(dynamodb, tableName);
  });

  afterAll(() => dynamodb.destroy());

  async function cli(argv: string[]) {
    return runCli(argv, {
      env: { ...process.env, MAINTENANCE_TABLE_NAME: tableName },
    });
  }

  it('create prints a token that authenticates with its role, and nothing else on stdout', async () => {
    const result = await cli(['token', 'create', '--name', 'deployer', '--role', 'operator']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wmt_[A-Za-z0-9_-]{43}\n$/);
    expect(result.stderr).toContain(`Created operator token deployer in ${tableName}`);
    const token = result.stdout.trim();
    await expect(authenticate({ tokens: registry }, { token, required: 'operator' })).resolves.toEqual({
      name: 'deployer',
      role: 'operator',
    });
    await expect(authenticate({ tokens: registry }, { token, required: 'admin' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('create refuses a name that is taken with exit 1 and keeps the first token', async () => {
    const first = await cli(['token', 'create', '--name', 'taken', '--role', 'admin']);

    const second = await cli(['token', 'create', '--name', 'taken', '--role', 'admin']);

    expect(first.code).toBe(0);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('A token named "taken" already exists');
    await expect(
      authenticate({ tokens: registry }, { token: first.stdout.trim(), required: 'admin' }),
    ).resolves.toEqual({ name: 'taken', role: 'admin' });
  });

  it('list --json shows the tokens without hashes', async () => {
    await cli(['token', 'create', '--name', 'listed', '--role', 'operator']);

    const result = await cli(['token', 'list', '--json']);

    expect(result.code).toBe(0);
    const { tokens } = JSON.parse(result.stdout) as { tokens: Array<Record<string, string>> };
    expect(tokens.find((t) => t.name === 'listed')).toEqual({
      name: 'listed',
      role: 'operator',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    for (const record of await registry.list()) expect(result.stdout).not.toContain(record.hash);
  });

  it('revoke makes the token fail to authenticate, and a second revoke exits 1', async () => {
    const created = await cli(['token', 'create', '--name', 'short-lived', '--role', 'operator']);
    const token = created.stdout.trim();

    const revoked = await cli(['token', 'revoke', '--name', 'short-lived']);
    const again = await cli(['token', 'revoke', '--name', 'short-lived']);

    expect(revoked).toEqual({ code: 0, stdout: 'Revoked token short-lived.\n', stderr: '' });
    await expect(authenticate({ tokens: registry }, { token, required: 'operator' })).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`maintenance: No token named short-lived in ${tableName}.\n`);
  });

  it('fails with exit 1 naming the table when the stage has none', async () => {
    const { code, stderr } = await runCli(['token', 'list', '--stage', 'nosuchstage'], {
      env: { ...process.env, MAINTENANCE_TABLE_NAME: undefined },
    });

    expect(code).toBe(1);
    expect(stderr).toContain('table waf-maintenance-nosuchstage does not exist');
  });
});
