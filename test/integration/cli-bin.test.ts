import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isFresh, MAIN, OUT_DIR, ROOT } from '../../bin/cli-bundle.cjs';
import { DynamoDbSlackGrants } from '../../src/adapters/aws/dynamodb-slack-grants';
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

/**
 * Runs the real bin in a child process, as `npx maintenance` would, with no build step (`bin` may be a
 * copy's; `nodeArgs` go to node before it).
 */
async function maintenance(
  args: string[],
  env: NodeJS.ProcessEnv,
  { bin = BIN, nodeArgs = [] as string[] } = {},
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [...nodeArgs, bin, ...args], {
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
    ({ tableName } = await provisionTestStack('bin'));
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

/**
 * A new shell's environment with no AWS configuration at all: no AWS_* variable (the global setup's
 * endpoint and keys are dropped) and an empty HOME, so no ~/.aws either.
 */
function shellWithoutAws(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AWS_') && !name.startsWith('MAINTENANCE_'),
    ),
  );
  return { ...env, HOME: mkdtempSync(join(tmpdir(), 'cli-home-')), ...extra };
}

/** A stand-in for EC2's instance metadata service (IMDSv2) that records what it is asked. */
async function startImds(
  accessKeyId: string,
): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  const routes: Record<string, string> = {
    'PUT /latest/api/token': 'imds-token',
    'GET /latest/meta-data/iam/security-credentials/': 'bastion-role',
    'GET /latest/meta-data/iam/security-credentials/bastion-role': JSON.stringify({
      Code: 'Success',
      AccessKeyId: accessKeyId,
      SecretAccessKey: 'imds-secret',
      Token: 'imds-session',
      Expiration: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  };
  const server: Server = createServer((req, res) => {
    const route = `${req.method} ${req.url}`;
    asked.push(route);
    const body = routes[route];
    res.writeHead(body === undefined ? 404 : 200).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The access key a request was signed with (SigV4: `Credential=AKID/date/region/service/aws4_request`). */
const signedBy = (request: { headers: NodeJS.Dict<string | string[]> } | undefined) =>
  /Credential=([^/]+)\//.exec(String(request?.headers.authorization))?.[1];

describe('bin/maintenance.cjs: AWS credentials for the AWS-direct commands', () => {
  const ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/team/00000000-0000-0000-0000-000000000000';
  const NO_CREDENTIALS =
    'maintenance: No AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; ' +
    'profile default is in neither ~/.aws/credentials nor ~/.aws/config. ' +
    "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE=NAME (run 'aws sso login --profile NAME' first for an SSO profile), " +
    'or AWS_EC2_METADATA_DISABLED=false to use an EC2 instance role; ' +
    'or, for the local stack, export AWS_ENDPOINT_URL=http://127.0.0.1:4566.\n';
  let aws: ApiStub;
  let imds: Awaited<ReturnType<typeof startImds>>;

  beforeAll(async () => {
    aws = await startApiStub();
    imds = await startImds('AKIAFROMIMDS');
  });

  afterAll(async () => {
    await aws.close();
    await imds.close();
  });

  beforeEach(() => {
    aws.requests = [];
    imds.asked.length = 0;
    // What DynamoDB answers a Scan of an empty table.
    aws.answer = {
      status: 200,
      body: '{"Count":0,"Items":[],"ScannedCount":0}',
      contentType: 'application/x-amz-json-1.0',
    };
  });

  it("runs the banner's Slack grant against the local emulator with no credentials configured", async () => {
    const { stage, tableName } = await provisionTestStack('cred');
    const env = shellWithoutAws({ AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL as string });

    const outcome = await maintenance(
      ['slack', 'grant', 'U0123ABCD', '--role', 'operator', '--stage', stage],
      env,
    );

    expect(outcome).toEqual({
      code: 0,
      stdout: `Granted U0123ABCD the operator role (stage ${stage}).\n`,
      stderr: '',
    });
    const grants = new DynamoDbSlackGrants(new DynamoDBClient({ region: 'us-east-1' }), tableName);
    await expect(grants.roleOf('U0123ABCD')).resolves.toBe('operator');
  });

  it('signs with dummy credentials against a loopback endpoint when none are configured', async () => {
    const outcome = await maintenance(['token', 'list'], shellWithoutAws({ AWS_ENDPOINT_URL: aws.url }));

    expect(outcome).toEqual({ code: 0, stdout: 'No tokens in waf-maintenance-dev.\n', stderr: '' });
    expect(signedBy(aws.requests[0])).toBe('testing');
  });

  it.each([
    [
      'the environment',
      { AWS_ACCESS_KEY_ID: 'AKIAFROMENV', AWS_SECRET_ACCESS_KEY: 'env-secret' },
      'AKIAFROMENV',
    ],
    ['a profile in ~/.aws/credentials', {}, 'AKIAFROMFILE'],
  ])(
    'signs with the credentials configured in %s, even against a loopback endpoint',
    async (_, vars, key) => {
      const env = shellWithoutAws({ ...vars, AWS_ENDPOINT_URL: aws.url });
      mkdirSync(join(env.HOME as string, '.aws'));
      writeFileSync(
        join(env.HOME as string, '.aws', 'credentials'),
        '[default]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = file-secret\n',
      );

      const outcome = await maintenance(['token', 'list'], env);

      expect(outcome.code).toBe(0);
      expect(signedBy(aws.requests[0])).toBe(key);
    },
  );

  it.each([
    ['token list', ['token', 'list']],
    ['slack grant', ['slack', 'grant', 'U0123ABCD', '--role', 'operator']],
    ['attach', ['attach', '--web-acl', ACL]],
    ['detach', ['detach', '--web-acl', ACL]],
  ])(
    '%s fails at once without credentials or a local endpoint: one line, no stack trace, no IMDS call',
    async (_, args) => {
      const env = shellWithoutAws({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });

      const outcome = await maintenance(args, env);

      expect(outcome).toEqual({ code: 1, stdout: '', stderr: NO_CREDENTIALS });
      expect(imds.asked).toEqual([]);
    },
  );

  it('asks instance metadata only when AWS_EC2_METADATA_DISABLED=false opts in, and signs with its role', async () => {
    const env = shellWithoutAws({
      AWS_EC2_METADATA_DISABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
      AWS_ENDPOINT_URL: aws.url,
    });

    const outcome = await maintenance(['token', 'list'], env);

    expect(outcome.code).toBe(0);
    expect(imds.asked).toContain('GET /latest/meta-data/iam/security-credentials/bastion-role');
    expect(signedBy(aws.requests[0])).toBe('AKIAFROMIMDS');
  });
});

describe('bin/maintenance.cjs: the bundle', () => {
  /** Runs the bin with a preload that reports, at exit, the files it required and Node's own modules. */
  async function loads(args: string[], env: NodeJS.ProcessEnv) {
    const dir = mkdtempSync(join(tmpdir(), 'cli-loads-'));
    const [preload, report] = [join(dir, 'preload.cjs'), join(dir, 'report.json')];
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({
        files: Object.keys(require.cache), internals: process.moduleLoadList })));`,
    );
    const outcome = await maintenance(args, env, { nodeArgs: ['--require', preload] });
    return {
      outcome,
      ...(JSON.parse(readFileSync(report, 'utf8')) as { files: string[]; internals: string[] }),
    };
  }

  it("status runs from the bundle and loads neither the AWS SDK's bundle nor Node's fetch (undici)", async () => {
    const api = await startApiStub();
    api.answer = { status: 200, body: JSON.stringify(statusBody()) };
    try {
      const env = {
        ...process.env,
        MAINTENANCE_API_URL: api.url,
        MAINTENANCE_TOKEN: `wmt_${'C'.repeat(43)}`,
      };

      const { outcome, files, internals } = await loads(['status'], env);

      expect(outcome.code).toBe(0);
      expect(files).toContain(MAIN);
      expect(files.filter((file) => /aws-sdk|@aws-sdk|@smithy/.test(file))).toEqual([]);
      expect(internals.filter((name) => name.includes('undici'))).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it("an AWS-direct command loads the AWS SDK's bundle", async () => {
    const { outcome, files } = await loads(['token', 'list', '--stage', 'nosuchstage'], process.env);

    expect(outcome.stderr).toContain('table waf-maintenance-nosuchstage does not exist');
    expect(files).toContain(join(OUT_DIR, 'aws-sdk.cjs'));
  });

  describe('in a copy of the repository', () => {
    let root: string;
    const copyOf = (path: string) => join(root, relative(ROOT, path));
    const help = () => maintenance(['--help'], process.env, { bin: join(root, 'bin', 'maintenance.cjs') });
    const editUsage = (to: string) => {
      const args = join(root, 'src', 'cli', 'args.ts');
      const source = readFileSync(args, 'utf8').replace(/Usage: [\w ]+<command>/, `Usage: ${to} <command>`);
      writeFileSync(args, source);
    };

    // Sources and build of its own, the dependencies linked: the bundle goes to the copy's node_modules/.cache.
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'cli-repo-'));
      for (const path of ['bin', 'src', 'scripts/build-cli.ts', 'package.json', 'tsconfig.json']) {
        cpSync(join(ROOT, path), join(root, path), { recursive: true });
      }
      mkdirSync(join(root, 'node_modules'));
      for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
        if (entry !== '.cache')
          symlinkSync(join(ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
      }
      expect(await help()).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    });

    it('runs the bundle while it is newer than every file it was built from', async () => {
      writeFileSync(copyOf(MAIN), "process.stdout.write('from the bundle\\n');\n");

      expect(await help()).toEqual({ code: 0, stdout: 'from the bundle\n', stderr: '' });
    });

    it('rebuilds the bundle first when a source changed, so the sources as they are run', async () => {
      editUsage('edited');

      const first = await help();
      const builtAt = statSync(copyOf(MAIN)).mtimeMs;
      const second = await help();

      expect(first).toEqual({
        code: 0,
        stdout: USAGE.replace('Usage: maintenance', 'Usage: edited'),
        stderr: '',
      });
      expect(second).toEqual(first);
      expect(readFileSync(copyOf(MAIN), 'utf8')).toContain('Usage: edited');
      expect(statSync(copyOf(MAIN)).mtimeMs).toBe(builtAt);
    });

    it('runs the sources through tsx when the bundle cannot be rebuilt', async () => {
      editUsage('via tsx');
      rmSync(copyOf(OUT_DIR), { recursive: true });
      writeFileSync(copyOf(OUT_DIR), 'a file where the bundle should go');

      expect(await help()).toEqual({
        code: 0,
        stdout: USAGE.replace('Usage: maintenance', 'Usage: via tsx'),
        stderr: '',
      });
    });
  });

  it('counts the bundle stale when an input is newer than the build, gone, or the manifest unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-fresh-'));
    const manifest = join(dir, 'manifest.json');
    writeFileSync(join(dir, 'a.ts'), '');
    const at = (ms: number) => utimesSync(join(dir, 'a.ts'), new Date(ms), new Date(ms));
    const write = (value: unknown) => writeFileSync(manifest, JSON.stringify(value));

    at(1_000_000);
    write({ builtAt: 2_000_000, inputs: ['a.ts'] });
    expect(isFresh(dir, manifest)).toBe(true);
    at(3_000_000);
    expect(isFresh(dir, manifest)).toBe(false);
    at(1_000_000);
    write({ builtAt: 2_000_000, inputs: ['a.ts', 'gone.ts'] });
    expect(isFresh(dir, manifest)).toBe(false);
    write({ builtAt: 2_000_000, inputs: [] });
    expect(isFresh(dir, manifest)).toBe(false);
    writeFileSync(manifest, 'not json');
    expect(isFresh(dir, manifest)).toBe(false);
    expect(isFresh(dir, join(dir, 'none.json'))).toBe(false);
  });
});
