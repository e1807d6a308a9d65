import { resolveStackTarget } from '../../../src/cli/stack-target';
import { hashToken, isWellFormedToken } from '../../../src/domain/api-token';
import { ConflictError } from '../../../src/domain/errors';
import type { Clock } from '../../../src/ports/clock';
import type { TokenRecord, TokenRegistry } from '../../../src/ports/token-registry';
import { runCli } from '../../support/cli';

/** An in-memory TokenRegistry with the adapter's behaviour: unique names, revoke reports absence. */
class FakeTokenRegistry implements TokenRegistry {
  readonly records = new Map<string, TokenRecord>();

  async findByHash(hash: string) {
    return [...this.records.values()].find((r) => r.hash === hash) ?? null;
  }

  async create(record: TokenRecord) {
    if (this.records.has(record.name))
      throw new ConflictError(`A token named "${record.name}" already exists.`);
    this.records.set(record.name, record);
  }

  async list() {
    return [...this.records.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async revoke(name: string) {
    return this.records.delete(name);
  }
}

const clock: Clock = { now: () => new Date('2026-03-01T10:00:00.000Z'), sleep: async () => {} };

describe('maintenance token create/list/revoke', () => {
  let tokens: FakeTokenRegistry;

  beforeEach(() => {
    tokens = new FakeTokenRegistry();
  });

  async function cli(argv: string[], env: Record<string, string> = {}) {
    return runCli(argv, { env, tokens, clock });
  }

  it('create prints the token alone on stdout and the rest on stderr', async () => {
    const result = await cli(['token', 'create', '--name', 'ci', '--role', 'operator']);

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(isWellFormedToken(lines[0] ?? '')).toBe(true);
    expect(tokens.records.get('ci')).toEqual({
      name: 'ci',
      role: 'operator',
      hash: hashToken(lines[0] ?? ''),
      createdAt: '2026-03-01T10:00:00.000Z',
    });
    expect(result.stderr).toBe(
      'Created operator token ci in waf-maintenance-dev; it is shown once, so store it now.\n',
    );
  });

  it('create --json prints name, role and token as one JSON document', async () => {
    const result = await cli(['token', 'create', '--name', 'ci', '--role', 'admin', '--json']);

    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual({ name: 'ci', role: 'admin', token: expect.any(String) });
    expect(hashToken(printed.token)).toBe(tokens.records.get('ci')?.hash);
  });

  it('create names the table of the chosen stage, or MAINTENANCE_TABLE_NAME', async () => {
    const byFlag = await cli(['token', 'create', '--name', 'a', '--role', 'admin', '--stage', 'prod'], {
      MAINTENANCE_STAGE: 'staging',
    });
    const byEnv = await cli(['token', 'create', '--name', 'b', '--role', 'admin'], {
      MAINTENANCE_STAGE: 'staging',
    });
    const byTable = await cli(['token', 'create', '--name', 'c', '--role', 'admin'], {
      MAINTENANCE_TABLE_NAME: 'custom-table',
    });

    expect(byFlag.stderr).toContain(' in waf-maintenance-prod;');
    expect(byEnv.stderr).toContain(' in waf-maintenance-staging;');
    expect(byTable.stderr).toContain(' in custom-table;');
  });

  it('create exits 1 with nothing on stdout when the name is taken', async () => {
    await cli(['token', 'create', '--name', 'ci', '--role', 'operator']);
    const before = tokens.records.get('ci');

    const result = await cli(['token', 'create', '--name', 'ci', '--role', 'admin']);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'maintenance: Conflict: A token named "ci" already exists.\n',
    });
    expect(tokens.records.get('ci')).toBe(before);
  });

  it('create exits 1 listing the field error for a name the domain refuses', async () => {
    const result = await cli(['token', 'create', '--name', 'bad name', '--role', 'operator']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'maintenance: Invalid input: The request is invalid.\n' +
        '  - name: must be 1-64 letters, digits or ._@- starting with a letter or digit\n',
    );
    expect(tokens.records.size).toBe(0);
  });

  it('list shows name, role and creation time, never a hash', async () => {
    await cli(['token', 'create', '--name', 'zed', '--role', 'operator']);
    await cli(['token', 'create', '--name', 'amy', '--role', 'admin']);

    const human = await cli(['token', 'list']);
    const machine = await cli(['token', 'list', '--json']);

    expect(human.stdout).toBe(
      [
        'NAME  ROLE      CREATED',
        'amy   admin     2026-03-01T10:00:00.000Z',
        'zed   operator  2026-03-01T10:00:00.000Z',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(machine.stdout)).toEqual({
      tokens: [
        { name: 'amy', role: 'admin', createdAt: '2026-03-01T10:00:00.000Z' },
        { name: 'zed', role: 'operator', createdAt: '2026-03-01T10:00:00.000Z' },
      ],
    });
    for (const record of tokens.records.values()) {
      expect(human.stdout + machine.stdout).not.toContain(record.hash);
    }
  });

  it('list says so when there are no tokens', async () => {
    expect(await cli(['token', 'list'])).toEqual({
      code: 0,
      stdout: 'No tokens in waf-maintenance-dev.\n',
      stderr: '',
    });
  });

  it('revoke removes the token and confirms', async () => {
    await cli(['token', 'create', '--name', 'ci', '--role', 'operator']);

    const human = await cli(['token', 'revoke', '--name', 'ci']);

    expect(human).toEqual({ code: 0, stdout: 'Revoked token ci.\n', stderr: '' });
    expect(tokens.records.has('ci')).toBe(false);
  });

  it('revoke --json reports the revoked name', async () => {
    await cli(['token', 'create', '--name', 'ci', '--role', 'operator']);

    expect((await cli(['token', 'revoke', '--name', 'ci', '--json'])).stdout).toBe(
      '{"name":"ci","revoked":true}\n',
    );
  });

  it('revoke exits 1 when no token has that name', async () => {
    expect(await cli(['token', 'revoke', '--name', 'nobody'], { MAINTENANCE_STAGE: 'prod' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'maintenance: No token named nobody in waf-maintenance-prod.\n',
    });
  });
});

describe('the stack the token and slack commands talk to', () => {
  it('stays in us-east-1 whatever AWS_REGION the shell exports, unless MAINTENANCE_REGION says otherwise', () => {
    expect(resolveStackTarget(undefined, { AWS_REGION: 'eu-west-1' }).region).toBe('us-east-1');
    expect(resolveStackTarget(undefined, { MAINTENANCE_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
  });
});
