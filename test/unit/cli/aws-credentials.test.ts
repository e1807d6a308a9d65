import {
  configuredEndpoint,
  credentialsFor,
  isLoopbackUrl,
  LOCAL_CREDENTIALS,
} from '../../../src/cli/aws-credentials';
import type { CredentialLookup } from '../../../src/cli/credential-sources';
import { CliError } from '../../../src/cli/errors';

const CONFIGURED = { accessKeyId: 'AKIACONFIGURED', secretAccessKey: 'configured' };
const found = async (): Promise<CredentialLookup> => ({
  kind: 'found',
  credentials: CONFIGURED,
  source: 'profile ops',
});
const absent = async (): Promise<CredentialLookup> => ({
  kind: 'absent',
  reasons: ['AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set', 'profile default has none in F'],
});
const failed = async (): Promise<CredentialLookup> => ({
  kind: 'failed',
  source: 'profile ops',
  message: 'The SSO session associated with this profile has expired.',
});

const HOW =
  "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE=NAME (run 'aws sso login --profile NAME' first for an SSO profile), or AWS_EC2_METADATA_DISABLED=false to use an EC2 instance role";

describe('isLoopbackUrl', () => {
  it.each([
    'http://127.0.0.1:4566',
    'http://127.0.0.1',
    'http://127.1.2.3:4566',
    'http://127.255.255.254:1',
    'http://localhost:4566',
    'http://LOCALHOST:4566/',
    'http://[::1]:4566',
    'http://[::ffff:127.0.0.1]:4566',
    'https://127.0.0.1:4566',
  ])('takes %s for this machine', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'not a url',
    'http://128.0.0.1:4566',
    'http://10.0.0.5:4566',
    'http://0.0.0.0:4566',
    'http://[::]:4566',
    'http://[::2]:4566',
    'http://localhost.example.com:4566',
    'http://127.0.0.1.nip.io:4566',
    'https://dynamodb.us-east-1.amazonaws.com',
  ])('does not take %s for this machine', (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('configuredEndpoint', () => {
  it("prefers the service's own variable to AWS_ENDPOINT_URL, as the SDK does", () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'https://ddb.example',
    };

    expect(configuredEndpoint(env, 'DYNAMODB')).toBe('https://ddb.example');
    expect(configuredEndpoint(env, 'WAFV2')).toBe('http://127.0.0.1:4566');
  });

  it('is none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true, or nothing is set', () => {
    expect(
      configuredEndpoint(
        { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' },
        'WAFV2',
      ),
    ).toBeUndefined();
    expect(configuredEndpoint({ AWS_ENDPOINT_URL: '' }, 'DYNAMODB')).toBeUndefined();
  });
});

describe('credentialsFor', () => {
  const local = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

  it('uses configured credentials, even against a local endpoint', async () => {
    await expect(credentialsFor({}, 'DYNAMODB', found)).resolves.toBe(CONFIGURED);
    await expect(credentialsFor(local, 'DYNAMODB', found)).resolves.toBe(CONFIGURED);
  });

  it('uses the dummy credentials against a loopback endpoint when none are configured or they fail', async () => {
    await expect(credentialsFor(local, 'DYNAMODB', absent)).resolves.toBe(LOCAL_CREDENTIALS);
    await expect(credentialsFor(local, 'WAFV2', failed)).resolves.toBe(LOCAL_CREDENTIALS);
  });

  it('decides on the endpoint of the service it is for', async () => {
    const env = { AWS_ENDPOINT_URL: 'https://waf.example', AWS_ENDPOINT_URL_WAFV2: 'http://localhost:4566' };

    await expect(credentialsFor(env, 'WAFV2', absent)).resolves.toBe(LOCAL_CREDENTIALS);
    await expect(credentialsFor(env, 'DYNAMODB', absent)).rejects.toBeInstanceOf(CliError);
  });

  it('refuses in one line without credentials or a local endpoint: what is missing, how to provide it, the local stack', async () => {
    const refusal = credentialsFor({}, 'DYNAMODB', absent);

    await expect(refusal).rejects.toThrow(
      new CliError(
        'No AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; profile default has none in F. ' +
          `${HOW}; or, for the local stack, export AWS_ENDPOINT_URL=http://127.0.0.1:4566.`,
      ),
    );
    await expect(refusal.catch((error: Error) => error.message)).resolves.not.toContain('\n');
  });

  it('names an endpoint that is set but not loopback, since it gets no dummy credentials', async () => {
    const refusal = credentialsFor({ AWS_ENDPOINT_URL: 'http://10.0.0.5:4566' }, 'DYNAMODB', absent);

    await expect(refusal).rejects.toThrow(
      `${HOW}; or, for a local emulator, a loopback AWS_ENDPOINT_URL (http://10.0.0.5:4566 is not one; the local stack's is http://127.0.0.1:4566).`,
    );
  });

  it('says which configured source failed, and why', async () => {
    await expect(credentialsFor({}, 'WAFV2', failed)).rejects.toThrow(
      'AWS credentials from profile ops could not be loaded: The SSO session associated with this profile has expired. Set ',
    );
  });
});
