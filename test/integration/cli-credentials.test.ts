import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupCredentials } from '../../src/cli/credential-sources';
import { type ApiStub, startApiStub } from '../support/cli';

/**
 * Where the AWS-direct commands look for configured credentials, through the SDK's real providers: the
 * environment, the shared files (static keys, credential_process), container credentials. Each test
 * has its own files, named by AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, so no one's ~/.aws counts.
 * They are set in process.env too: the providers a profile leads to (SSO, credential_process) read the
 * files' paths from there, as they do in the CLI, where the two environments are one.
 */
describe('lookupCredentials', () => {
  const saved = { credentials: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
  let container: ApiStub;

  beforeAll(async () => {
    container = await startApiStub();
  });

  afterEach(() => {
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.credentials;
    process.env.AWS_CONFIG_FILE = saved.config;
    if (saved.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
  });

  afterAll(() => container.close());

  /** An environment with its own (possibly absent) shared files. */
  function filesEnv(files: { credentials?: string; config?: string } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'cli-credentials-'));
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
    };
    if (files.credentials) writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, files.credentials);
    if (files.config) writeFileSync(env.AWS_CONFIG_FILE, files.config);
    Object.assign(process.env, env);
    return env;
  }

  it('takes the environment variables, with a session token', async () => {
    const env = {
      ...filesEnv(),
      AWS_ACCESS_KEY_ID: 'AKIAENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_SESSION_TOKEN: 'env-token',
    };

    await expect(lookupCredentials(env)).resolves.toEqual({
      kind: 'found',
      credentials: { accessKeyId: 'AKIAENV', secretAccessKey: 'env-secret', sessionToken: 'env-token' },
      source: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    });
  });

  it('says which half of a key pair is missing, and where else it looked', async () => {
    const env = { ...filesEnv(), AWS_ACCESS_KEY_ID: 'AKIAENV' };

    await expect(lookupCredentials(env)).resolves.toEqual({
      kind: 'absent',
      reasons: [
        'AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY',
        `profile default is in neither ${env.AWS_SHARED_CREDENTIALS_FILE} nor ${env.AWS_CONFIG_FILE}`,
      ],
    });
  });

  it("takes the default profile's keys from the credentials file", async () => {
    const env = filesEnv({
      credentials: '[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n',
    });

    await expect(lookupCredentials(env)).resolves.toMatchObject({
      kind: 'found',
      credentials: { accessKeyId: 'AKIAFILE', secretAccessKey: 'file-secret' },
      source: 'profile default',
    });
  });

  it("takes AWS_PROFILE's profile from the config file before the environment's keys, as the SDK does", async () => {
    const env = {
      ...filesEnv({
        config: '[profile ops]\naws_access_key_id = AKIAOPS\naws_secret_access_key = ops-secret\n',
      }),
      AWS_PROFILE: 'ops',
      AWS_ACCESS_KEY_ID: 'AKIAENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
    };

    await expect(lookupCredentials(env)).resolves.toMatchObject({
      kind: 'found',
      credentials: { accessKeyId: 'AKIAOPS' },
      source: 'profile ops',
    });
  });

  it('says so when AWS_PROFILE names a profile the files do not have', async () => {
    const env = { ...filesEnv({ config: '[default]\nregion = us-east-1\n' }), AWS_PROFILE: 'nope' };

    await expect(lookupCredentials(env)).resolves.toEqual({
      kind: 'absent',
      reasons: [`profile nope is in neither ${env.AWS_SHARED_CREDENTIALS_FILE} nor ${env.AWS_CONFIG_FILE}`],
    });
  });

  it('says that keys in the environment go unused while AWS_PROFILE names a profile', async () => {
    const env = {
      ...filesEnv(),
      AWS_PROFILE: 'nope',
      AWS_ACCESS_KEY_ID: 'AKIAENV',
      AWS_SECRET_ACCESS_KEY: 's',
    };

    await expect(lookupCredentials(env)).resolves.toEqual({
      kind: 'absent',
      reasons: [
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go unused while AWS_PROFILE is set',
        `profile nope is in neither ${env.AWS_SHARED_CREDENTIALS_FILE} nor ${env.AWS_CONFIG_FILE}`,
      ],
    });
  });

  it("runs a profile's credential_process", async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'cli-process-')), 'creds.js');
    writeFileSync(
      script,
      'process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: "AKIAPROC", SecretAccessKey: "proc-secret" }));',
    );
    const env = filesEnv({ config: `[default]\ncredential_process = ${process.execPath} ${script}\n` });

    await expect(lookupCredentials(env)).resolves.toMatchObject({
      kind: 'found',
      credentials: { accessKeyId: 'AKIAPROC', secretAccessKey: 'proc-secret' },
    });
  });

  it("goes past a profile whose credential_process fails, as the SDK's chain does, and says why", async () => {
    const env = filesEnv({
      config: `[profile broken]\ncredential_process = ${process.execPath} -e "process.exit(3)"\n`,
    });

    const lookup = await lookupCredentials({ ...env, AWS_PROFILE: 'broken' });

    expect(lookup).toEqual({
      kind: 'absent',
      reasons: [expect.stringMatching(/^profile broken: Command failed: /)],
    });
    expect((lookup as { reasons: string[] }).reasons[0]).not.toContain('\n');
  });

  it('stops at a source that fails outright (an SSO profile never logged in), asking no further one', async () => {
    const env = {
      ...filesEnv({
        config:
          '[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n' +
          'sso_account_id = 123456789012\nsso_role_name = Admin\n',
      }),
      AWS_PROFILE: 'sso',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/never-asked`,
    };
    container.requests = [];

    const lookup = await lookupCredentials(env);

    expect(lookup).toEqual({
      kind: 'failed',
      source: 'profile sso',
      message: expect.stringContaining('sso login'),
    });
    expect(container.requests).toEqual([]);
  });

  it('asks the container endpoint when AWS_CONTAINER_CREDENTIALS_FULL_URI names one', async () => {
    container.answer = {
      status: 200,
      body: JSON.stringify({
        AccessKeyId: 'AKIACONTAINER',
        SecretAccessKey: 'container-secret',
        Token: 'container-token',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    };
    const env = {
      ...filesEnv(),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth',
    };
    container.requests = [];

    await expect(lookupCredentials(env)).resolves.toMatchObject({
      kind: 'found',
      credentials: { accessKeyId: 'AKIACONTAINER', sessionToken: 'container-token' },
      source: 'container credentials',
    });
    expect(container.requests).toHaveLength(1);
    expect(container.requests[0]).toMatchObject({ method: 'GET', path: '/creds' });
    expect(container.requests[0]?.headers.authorization).toBe('container-auth');
  });
});
