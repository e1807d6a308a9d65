import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { USAGE } from '../../src/cli/args';
import { type ApiStub, startApiStub, statusBody } from '../support/cli';
import { provisionTestStack } from '../support/stack';

const BIN = resolve(__dirname, '..', '..', 'bin', 'maintenance.cjs');
const execFileAsync = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real bin shim in a child process, as `npx maintenance` would, with no build step. */
async function maintenance(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('bin/maintenance.cjs', () => {
  let tableName: string;
  let api: ApiStub;

  beforeAll(async () => {
    api = await startApiStub();
    tableName = (await provisionTestStack('bin')).tableName;
  });

  afterAll(() => api.close());

  it('prints usage for --help and exits 0', async () => {
    expect(await maintenance(['--help'], process.env)).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });

  it('exits 2 for an unknown command', async () => {
    const outcome = await maintenance(['frobnicate'], process.env);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("Unknown command 'frobnicate'");
  });

  it('mints and lists tokens in DynamoDB with a clean stderr (no SDK Node version warning)', async () => {
    const env = { ...process.env, MAINTENANCE_TABLE_NAME: tableName };

    const created = await maintenance(['token', 'create', '--name', 'from-bin', '--role', 'admin'], env);
    const listed = await maintenance(['token', 'list', '--json'], env);

    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^wmt_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toBe(
      `Created admin token from-bin in ${tableName}; it is shown once, so store it now.\n`,
    );
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toEqual({
      tokens: [{ name: 'from-bin', role: 'admin', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }],
    });
  });

  it('grants a Slack user a role in DynamoDB and lists it', async () => {
    const env = { ...process.env, MAINTENANCE_TABLE_NAME: tableName };

    const granted = await maintenance(['slack', 'grant', 'U024BE7LH', '--role', 'operator', '--json'], env);
    const listed = await maintenance(['slack', 'list', '--json'], env);

    expect(granted.code).toBe(0);
    expect(granted.stderr).toBe('');
    const grant = JSON.parse(granted.stdout);
    expect(grant).toEqual({
      userId: 'U024BE7LH',
      role: 'operator',
      grantedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(listed).toEqual({ code: 0, stdout: `${JSON.stringify({ grants: [grant] })}\n`, stderr: '' });
  });

  it('exits 2 for a malformed Slack user ID', async () => {
    const outcome = await maintenance(['slack', 'revoke', 'alice'], {
      ...process.env,
      MAINTENANCE_TABLE_NAME: tableName,
    });

    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain('USER_ID must be a Slack user ID such as U024BE7LH');
  });

  it('talks to the HTTP API with the token from the environment', async () => {
    api.answer = { status: 200, body: JSON.stringify(statusBody()) };
    const token = `wmt_${'B'.repeat(43)}`;

    const outcome = await maintenance(['status'], {
      ...process.env,
      MAINTENANCE_API_URL: api.url,
      MAINTENANCE_TOKEN: token,
    });

    expect(outcome).toEqual({
      code: 0,
      stdout:
        'Maintenance is ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s\n',
      stderr: '',
    });
    expect(api.requests.at(-1)).toMatchObject({ method: 'GET', path: '/maintenance' });
    expect(api.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
  });
});
