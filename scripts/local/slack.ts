import { randomBytes } from 'node:crypto';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
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
