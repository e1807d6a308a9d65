import ipaddr from 'ipaddr.js';
import { type AwsCredentials, type CredentialLookup, lookupCredentials } from './credential-sources';
import { CliError } from './errors';

type Env = Record<string, string | undefined>;

/**
 * What the AWS-direct commands sign with when they talk to a local emulator and nobody configured
 * credentials: the emulator checks no signature, and these can authenticate nowhere else.
 */
export const LOCAL_CREDENTIALS: AwsCredentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Where the local stack's emulator listens unless MOTO_PORT says otherwise (CONTRACT, "npm start"). */
const LOCAL_STACK_ENDPOINT = 'http://127.0.0.1:4566';

/** The services the AWS-direct commands call, by the suffix of the SDK's per-service endpoint variable. */
export type AwsService = 'DYNAMODB' | 'WAFV2';

/**
 * The endpoint the SDK will call for `service`, as far as the environment sets it: the per-service
 * variable wins over AWS_ENDPOINT_URL, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns both off, as in the
 * SDK. (An `endpoint_url` in the shared config file is not looked at: it makes no endpoint local here.)
 */
export function configuredEndpoint(env: Env, service: AwsService): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * Whether a URL names this machine: `localhost`, 127.0.0.0/8 or ::1 (also as ::ffff:127.x). Only such an
 * endpoint gets dummy credentials: a request to it cannot reach an AWS account.
 *
 * @example
 * isLoopbackUrl('http://127.0.0.1:4566') // true
 * isLoopbackUrl('http://[::1]:4566') // true
 * isLoopbackUrl('http://192.168.1.5:4566') // false
 */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return false;
  }
  if (host.toLowerCase() === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  return ipaddr.process(host).range() === 'loopback';
}

const HOW_TO_PROVIDE =
  "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE=NAME (run 'aws sso login --profile NAME' first for an SSO profile), or AWS_EC2_METADATA_DISABLED=false to use an EC2 instance role";

function missingMessage(env: Env, service: AwsService, lookup: Exclude<CredentialLookup, { kind: 'found' }>) {
  const endpoint = configuredEndpoint(env, service);
  const local = endpoint
    ? `or, for a local emulator, a loopback AWS_ENDPOINT_URL (${endpoint} is not one; the local stack's is ${LOCAL_STACK_ENDPOINT})`
    : `or, for the local stack, export AWS_ENDPOINT_URL=${LOCAL_STACK_ENDPOINT}`;
  const what =
    lookup.kind === 'absent'
      ? `No AWS credentials: ${lookup.reasons.join('; ')}`
      : `AWS credentials from ${lookup.source} could not be loaded: ${lookup.message}`;
  return `${what.replace(/\.?$/, '.')} ${HOW_TO_PROVIDE}; ${local}.`;
}

/**
 * The credentials every AWS-direct command (`token`, `slack`, `attach`, `detach`) signs with, decided
 * once here before any request: the ones the user configured (see lookupCredentials); else, when the
 * endpoint is loopback, LOCAL_CREDENTIALS; else a CliError naming what is missing and how to provide it
 * (exit 1, one line), rather than the SDK's wait on instance metadata and its CredentialsProviderError.
 *
 * @example
 * await credentialsFor({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, 'DYNAMODB') // LOCAL_CREDENTIALS
 */
export async function credentialsFor(
  env: Env,
  service: AwsService,
  lookup: (env: Env) => Promise<CredentialLookup> = lookupCredentials,
): Promise<AwsCredentials> {
  const found = await lookup(env);
  if (found.kind === 'found') return found.credentials;
  if (isLoopbackUrl(configuredEndpoint(env, service))) return LOCAL_CREDENTIALS;
  throw new CliError(missingMessage(env, service, found));
}
