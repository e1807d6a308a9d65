import { randomBytes } from 'node:crypto';
import {
  DeleteParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { StackDefinition } from './stack-definition';

export interface LocalSlack {
  secret: string;
  /** True when SLACK_SIGNING_SECRET supplied it; otherwise one was generated for this run. */
  fromEnvironment: boolean;
  parameterName: string;
}

/**
 * Stores the local stack's Slack signing secret where the deployed stack keeps it: the SecureString named by
 * the slackCommand function's SLACK_SIGNING_SECRET_PARAMETER in serverless.yml. SLACK_SIGNING_SECRET, when
 * set, is that secret (so a real Slack app can point at a tunnel to this machine); otherwise a random one
 * is made and printed, for signing test requests by hand.
 */
export async function seedSlackSecret(
  definition: StackDefinition,
  env: NodeJS.ProcessEnv,
  client = new SSMClient({ region: 'us-east-1' }),
): Promise<LocalSlack> {
  const parameterName = String(
    definition.functionEnvironment.slackCommand?.SLACK_SIGNING_SECRET_PARAMETER ?? '',
  );
  if (!parameterName.startsWith('/'))
    throw new Error('serverless.yml gives slackCommand no SLACK_SIGNING_SECRET_PARAMETER');
  const fromEnvironment = Boolean(env.SLACK_SIGNING_SECRET);
  const secret = env.SLACK_SIGNING_SECRET || randomBytes(16).toString('hex');
  await client.send(
    new PutParameterCommand({ Name: parameterName, Value: secret, Type: 'SecureString', Overwrite: true }),
  );
  return { secret, fromEnvironment, parameterName };
}

/**
 * SLACK_WEBHOOK_URL, when set, becomes the local stack's announcement webhook: stored where the deployed
 * stack keeps it, the SecureString named by the announce function's SLACK_WEBHOOK_PARAMETER. Unset, the
 * parameter is removed (an earlier run's URL must not linger in a reused emulator): no announcements.
 */
export async function seedSlackWebhook(
  definition: StackDefinition,
  env: NodeJS.ProcessEnv,
  client = new SSMClient({ region: 'us-east-1' }),
): Promise<string | undefined> {
  const parameterName = String(definition.functionEnvironment.announce?.SLACK_WEBHOOK_PARAMETER ?? '');
  if (!parameterName.startsWith('/'))
    throw new Error('serverless.yml gives announce no SLACK_WEBHOOK_PARAMETER');
  const url = env.SLACK_WEBHOOK_URL?.trim();
  if (url) {
    await client.send(
      new PutParameterCommand({ Name: parameterName, Value: url, Type: 'SecureString', Overwrite: true }),
    );
    return url;
  }
  await client.send(new DeleteParameterCommand({ Name: parameterName })).catch((error: unknown) => {
    if (!(error instanceof ParameterNotFound)) throw error;
  });
  return undefined;
}
