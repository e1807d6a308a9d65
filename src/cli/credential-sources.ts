import { fromHttp } from '@aws-sdk/credential-provider-http';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import { parseKnownFiles } from '@smithy/core/config';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';

type Env = Record<string, string | undefined>;

export type AwsCredentials = Awaited<ReturnType<ReturnType<typeof fromIni>>>;

/**
 * What looking for configured credentials came to: credentials; none anywhere (with what each place
 * lacked or why it passed, for the message); or a place that failed outright and ended the search, as
 * the SDK's chain does (an SSO session that has expired).
 */
export type CredentialLookup =
  | { kind: 'found'; credentials: AwsCredentials; source: string }
  | { kind: 'absent'; reasons: string[] }
  | { kind: 'failed'; source: string; message: string };

/** A place credentials may be configured in, by a name for messages. */
interface Source {
  name: string;
  load: () => Promise<AwsCredentials>;
}

/** Thrown by a source that is plainly empty, with the words for the message (none: nothing to say). */
class NothingHere extends Error {}

function environment(env: Env): Source {
  const { AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: secret } = env;
  const load = async (): Promise<AwsCredentials> => {
    // The SDK's rule: a profile named by AWS_PROFILE wins over these variables.
    if (env.AWS_PROFILE) {
      throw new NothingHere(
        key || secret ? 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go unused while AWS_PROFILE is set' : '',
      );
    }
    if (key && secret) {
      return {
        accessKeyId: key,
        secretAccessKey: secret,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
      };
    }
    if (key) throw new NothingHere('AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY');
    if (secret) throw new NothingHere('AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID');
    throw new NothingHere('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
  };
  return { name: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', load };
}

/**
 * The profile in the shared files, through the SDK's own provider: static keys, assume-role, SSO,
 * credential_process, web identity, console login. A profile in neither file is "nothing here".
 */
function sharedFiles(env: Env): Source {
  const profile = env.AWS_PROFILE || 'default';
  const init = {
    profile,
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  };
  const files = `${env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials'} nor ${env.AWS_CONFIG_FILE || '~/.aws/config'}`;
  const load = async (): Promise<AwsCredentials> => {
    if (!Object.hasOwn(await parseKnownFiles(init), profile)) {
      throw new NothingHere(`profile ${profile} is in neither ${files}`);
    }
    return fromIni(init)();
  };
  return { name: `profile ${profile}`, load };
}

/** Sources that exist only when their variables say so (instance metadata: when the user opts in). */
function declaredSources(env: Env): Source[] {
  const sources: Source[] = [];
  const { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: roleArn } = env;
  if (tokenFile && roleArn) {
    const provider = fromTokenFile({
      webIdentityTokenFile: tokenFile,
      roleArn,
      ...(env.AWS_ROLE_SESSION_NAME ? { roleSessionName: env.AWS_ROLE_SESSION_NAME } : {}),
    });
    sources.push({ name: 'AWS_WEB_IDENTITY_TOKEN_FILE', load: () => provider() });
  }
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (relative || full) {
    const provider = fromHttp({
      ...(relative ? { awsContainerCredentialsRelativeUri: relative } : {}),
      ...(full ? { awsContainerCredentialsFullUri: full } : {}),
      ...(env.AWS_CONTAINER_AUTHORIZATION_TOKEN
        ? { awsContainerAuthorizationToken: env.AWS_CONTAINER_AUTHORIZATION_TOKEN }
        : {}),
      ...(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
        ? { awsContainerAuthorizationTokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE }
        : {}),
    });
    sources.push({ name: 'container credentials', load: () => provider() });
  }
  // Opt-in only (see lookupCredentials): off EC2, asking would wait on 169.254.169.254 before failing.
  if (env.AWS_EC2_METADATA_DISABLED === 'false') {
    const provider = fromInstanceMetadata({ timeout: 1000, maxRetries: 0 });
    sources.push({ name: 'instance metadata', load: () => provider() });
  }
  return sources;
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() || 'no reason given';

/**
 * Looks for the credentials a user configured, in the SDK's order (its environment variables, unless
 * AWS_PROFILE names a profile; the profile in the shared files; web identity; container credentials
 * when their variables are set), plus instance metadata only when AWS_EC2_METADATA_DISABLED=false opts
 * in. Like the SDK's chain, it goes on past a source that says "not here" (tryNextLink) and stops at one
 * that fails outright (an SSO session that has expired).
 *
 * Why not the SDK's default chain: it ends with instance metadata, asked whenever nothing else answered.
 * Off EC2 that is a wait on 169.254.169.254 (a second or more per try on a network that drops it) and
 * then a bare CredentialsProviderError, so "no credentials" could not be told apart in time to say what
 * is missing, or to use dummy credentials for a local emulator. Everything here is read from variables
 * and files; nothing waits on a network unless a variable or a profile asked for it. Instance metadata
 * is opted into with the SDK's own variable, so an EC2 bastion needs one export and no new name.
 *
 * @example
 * await lookupCredentials({ AWS_ACCESS_KEY_ID: 'AKIA…', AWS_SECRET_ACCESS_KEY: '…' })
 * // { kind: 'found', credentials: { accessKeyId: 'AKIA…', … }, source: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' }
 */
export async function lookupCredentials(env: Env): Promise<CredentialLookup> {
  const sources = [environment(env), sharedFiles(env), ...declaredSources(env)];
  const reasons: string[] = [];
  for (const source of sources) {
    try {
      return { kind: 'found', credentials: await source.load(), source: source.name };
    } catch (error) {
      if (error instanceof NothingHere) {
        if (error.message) reasons.push(error.message);
      } else if ((error as { tryNextLink?: unknown }).tryNextLink === true) {
        reasons.push(`${source.name}: ${firstLine(error)}`);
      } else return { kind: 'failed', source: source.name, message: firstLine(error) };
    }
  }
  return { kind: 'absent', reasons };
}
